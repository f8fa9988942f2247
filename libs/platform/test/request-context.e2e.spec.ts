import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request context and logging', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('echoes a valid X-Correlation-Id and exposes it through currentContext()', async () => {
    const token = await signTestToken(TEST_SECRET, { sub: 'u', roles: ['pro'], proId: 'pro-1' });
    const res = await http()
      .get('/probe/whoami')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Correlation-Id', 'req-42:abc.DEF_x');
    expect(res.status).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('req-42:abc.DEF_x');
    expect(res.body.context).toEqual({
      correlationId: 'req-42:abc.DEF_x',
      causationId: null,
      actor: { kind: 'pro', id: 'pro-1' },
    });
  });

  it('makes a UUIDv7 when the header is missing or unsafe', async () => {
    const missing = await http().get('/probe/public');
    expect(missing.headers['x-correlation-id']).toMatch(UUID_V7);
    expect(missing.body.context.correlationId).toBe(missing.headers['x-correlation-id']);

    const unsafe = await http().get('/probe/public').set('X-Correlation-Id', 'a b<script>');
    expect(unsafe.headers['x-correlation-id']).toMatch(UUID_V7);

    const tooLong = await http().get('/probe/public').set('X-Correlation-Id', 'x'.repeat(129));
    expect(tooLong.headers['x-correlation-id']).toMatch(UUID_V7);
  });

  it('runs public requests as the anonymous system actor', async () => {
    const res = await http().get('/probe/public');
    expect(res.body.context.actor).toEqual({ kind: 'system', id: 'anonymous' });
  });

  it('takes the actor from the strongest role of the token', async () => {
    const service = await signTestToken(TEST_SECRET, {
      sub: 'svc-sync',
      roles: ['client', 'service'],
      clientId: 'c-1',
    });
    const asService = await http().get('/probe/whoami').set('Authorization', `Bearer ${service}`);
    expect(asService.body.context.actor).toEqual({ kind: 'service', id: 'svc-sync' });

    const client = await signTestToken(TEST_SECRET, {
      sub: 'u',
      roles: ['client'],
      clientId: 'c-9',
    });
    const asClient = await http().get('/probe/whoami').set('Authorization', `Bearer ${client}`);
    expect(asClient.body.context.actor).toEqual({ kind: 'client', id: 'c-9' });
  });

  it('writes JSON lines with the service and the correlation id, secrets redacted', async () => {
    const token = await signTestToken(TEST_SECRET, { sub: 'u', roles: ['service'] });
    await http()
      .get('/probe/whoami?code=oauth-secret')
      .set('Authorization', `Bearer ${token}`)
      .set('Cookie', 'session=s3cret')
      .set('X-Correlation-Id', 'log-check-1');

    const lines = testApp.logs.filter((line) => line.correlationId === 'log-check-1');
    const handlerLine = lines.find((line) => line.msg === 'whoami called');
    expect(handlerLine).toMatchObject({
      service: 'probe',
      level: 'info',
      token: '[redacted]',
      nested: { password: '[redacted]' },
    });
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ service: 'probe', level: 'info' });
    const req = completed?.req as { url: string; headers: Record<string, string> };
    expect(req.url).toBe('/probe/whoami');
    expect(req.headers.authorization).toBe('[redacted]');
    expect(req.headers.cookie).toBe('[redacted]');
    expect(JSON.stringify(testApp.logs)).not.toContain(token);
    expect(JSON.stringify(testApp.logs)).not.toContain('oauth-secret');
  });

  it('logs health and metrics requests below info', async () => {
    await http().get('/health/live').set('X-Correlation-Id', 'probe-live');
    await http().get('/metrics').set('X-Correlation-Id', 'probe-metrics');
    const probes = testApp.logs.filter(
      (line) => line.correlationId === 'probe-live' || line.correlationId === 'probe-metrics',
    );
    expect(probes.map((line) => line.level)).toEqual(['debug', 'debug']);
  });
});
