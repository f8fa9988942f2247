import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { OTHER_SECRET, startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

describe('bearer authentication', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const serviceToken = () => signTestToken(TEST_SECRET, { sub: 'svc-booking', roles: ['service'] });
  const proToken = (proId: string) =>
    signTestToken(TEST_SECRET, { sub: 'user-1', roles: ['pro'], proId });

  it('answers 401 problem with a Bearer challenge when no token is sent', async () => {
    const res = await http().get('/probe/whoami');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({
      type: 'https://careservice.example/problems/unauthorized',
      title: 'Unauthorized',
      status: 401,
      instance: '/probe/whoami',
    });
  });

  it('answers 401 to a token signed with another key', async () => {
    const forged = await signTestToken(OTHER_SECRET, { sub: 'svc', roles: ['service'] });
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.body.detail).toBe('The token is invalid.');
  });

  it('answers 401 to an expired token', async () => {
    const expired = await signTestToken(TEST_SECRET, { sub: 'svc', roles: ['service'] }, '-1h');
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toBe('The token has expired.');
  });

  it('answers 401 to something that is not a JWT, and to another scheme', async () => {
    const garbage = await http().get('/probe/whoami').set('Authorization', 'Bearer not.a.jwt');
    expect(garbage.status).toBe(401);
    const basic = await http().get('/probe/whoami').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(basic.status).toBe(401);
  });

  it('answers 401 to a pro token without proId', async () => {
    const token = await signTestToken(TEST_SECRET, { sub: 'user-1', roles: ['pro'] });
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('A pro token must carry proId.');
  });

  it('lets a valid token through and hands the handler its principal', async () => {
    const res = await http()
      .get('/probe/whoami')
      .set('Authorization', `Bearer ${await proToken('pro-7')}`);
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ sub: 'user-1', roles: ['pro'], proId: 'pro-7' });
  });

  it('answers 403 problem when no role matches @Roles', async () => {
    const res = await http()
      .get('/probe/service-only')
      .set('Authorization', `Bearer ${await proToken('pro-7')}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });

    const ok = await http()
      .get('/probe/service-only')
      .set('Authorization', `Bearer ${await serviceToken()}`);
    expect(ok.status).toBe(200);
  });

  it('answers 403 to a token whose roles are all unknown here', async () => {
    const token = await signTestToken(TEST_SECRET, {
      sub: 'x',
      roles: ['admin'] as unknown as ['service'],
    });
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
  });

  it('lets a pro reach only its own Pro, and a service every Pro', async () => {
    const own = await http()
      .get('/probe/pros/pro-7')
      .set('Authorization', `Bearer ${await proToken('pro-7')}`);
    expect(own.status).toBe(200);
    const other = await http()
      .get('/probe/pros/pro-8')
      .set('Authorization', `Bearer ${await proToken('pro-7')}`);
    expect(other.status).toBe(403);
    const service = await http()
      .get('/probe/pros/pro-8')
      .set('Authorization', `Bearer ${await serviceToken()}`);
    expect(service.status).toBe(200);
  });

  it('needs no token on @Public() routes', async () => {
    expect((await http().get('/probe/public')).status).toBe(200);
    expect((await http().get('/health/live')).status).toBe(200);
  });
});
