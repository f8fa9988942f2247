import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

const PAGE = 'http://localhost:3103';

describe('CORS_ORIGINS', () => {
  let listed: TestApp;
  let unset: TestApp;
  beforeAll(async () => {
    listed = await startTestApp({}, { CORS_ORIGINS: `${PAGE}, https://app.example` });
    unset = await startTestApp();
  });
  afterAll(async () => {
    await listed.close();
    await unset.close();
  });

  it('answers a preflight from a listed origin without a token, allowing the bearer header', async () => {
    const preflight = await request(listed.app.getHttpServer())
      .options('/probe/whoami')
      .set('Origin', PAGE)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(PAGE);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
  });

  it('marks real answers, problems included, for a listed origin and still checks the token', async () => {
    const token = await signTestToken(TEST_SECRET, { sub: 'u', roles: ['service'] });
    const ok = await request(listed.app.getHttpServer())
      .get('/probe/whoami')
      .set('Origin', PAGE)
      .set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(PAGE);
    expect(ok.headers['access-control-expose-headers']).toMatch(/X-Correlation-Id/);

    const anonymous = await request(listed.app.getHttpServer())
      .get('/probe/whoami')
      .set('Origin', PAGE);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['access-control-allow-origin']).toBe(PAGE);
  });

  it('gives other origins, and every origin when unset, no CORS headers', async () => {
    const other = await request(listed.app.getHttpServer())
      .get('/probe/public')
      .set('Origin', 'http://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await request(unset.app.getHttpServer())
      .options('/probe/whoami')
      .set('Origin', PAGE)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses to start with something that is not an origin, naming the variable', async () => {
    await expect(startTestApp({}, { CORS_ORIGINS: 'http://localhost:3103/ui/' })).rejects.toThrow(
      /CORS_ORIGINS: must be comma-separated origins/,
    );
    await expect(startTestApp({}, { CORS_ORIGINS: '*' })).rejects.toThrow(/CORS_ORIGINS/);
  });
});
