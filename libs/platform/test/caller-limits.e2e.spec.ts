import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

// A refill of one token per 1000 s: nothing comes back while the test runs, however slow.
const LIMITS = {
  RATE_LIMIT_PER_SECOND: '0.001',
  RATE_LIMIT_BURST: '4',
  WEBHOOK_RATE_LIMIT_PER_SECOND: '0.001',
  WEBHOOK_RATE_LIMIT_BURST: '3',
};

describe('caller limits across instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestApp({}, LIMITS), startTestApp({}, LIMITS)]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  const whoami = (app: TestApp, token: string) =>
    request(app.app.getHttpServer()).get('/probe/whoami').set('Authorization', `Bearer ${token}`);

  it('holds one subject to one limit over both instances, answering 429 problem+json', async () => {
    const token = await signTestToken(TEST_SECRET, {
      sub: `caller-${randomUUID()}`,
      roles: ['service'],
    });
    const statuses: number[] = [];
    for (const app of [first, second, first, second, first, second, first, second]) {
      statuses.push((await whoami(app, token)).status);
    }
    // Each instance alone would let 4 through; leased tokens left unspent may lapse.
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(4);
    const refused = await whoami(second, token);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({
      type: 'https://careservice.example/problems/too-many-requests',
      status: 429,
    });

    const other = await signTestToken(TEST_SECRET, {
      sub: `caller-${randomUUID()}`,
      roles: ['service'],
    });
    expect((await whoami(first, other)).status).toBe(200);
  });

  it('limits public routes by address, and never health or metrics', async () => {
    const post = (app: TestApp) =>
      request(app.app.getHttpServer()).post('/probe/webhook').send({ ping: true });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(first)).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const refused = await post(first);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 10; i++) {
      expect((await request(first.app.getHttpServer()).get('/health/live')).status).toBe(200);
    }
  });
});
