import request from 'supertest';
import { afterEach, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

describe('health, metrics and docs', () => {
  const apps: TestApp[] = [];
  const start = async (...args: Parameters<typeof startTestApp>) => {
    const testApp = await startTestApp(...args);
    apps.push(testApp);
    return request(testApp.app.getHttpServer());
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((testApp) => testApp.close()));
  });

  it('is live and ready with PostgreSQL and NATS up', async () => {
    const http = await start();
    expect((await http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: { postgres: { status: 'up' }, nats: { status: 'up' } },
    });
  });

  it('is not ready when PostgreSQL cannot be reached', async () => {
    const http = await start({ databaseUrl: 'postgres://postgres@127.0.0.1:1/postgres' });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.body.checks).toMatchObject({
      postgres: { status: 'down' },
      nats: { status: 'up' },
    });
    expect((await http.get('/health/live')).status).toBe(200);
  });

  it('is not ready when the NATS connection is closed', async () => {
    const http = await start({ closeNats: true });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({
      postgres: { status: 'up' },
      nats: { status: 'down' },
    });
  });

  it('serves Prometheus metrics with requests, errors and durations by route pattern', async () => {
    const http = await start();
    const token = await signTestToken(TEST_SECRET, { sub: 'svc', roles: ['service'] });
    await http.get('/probe/pros/pro-123').set('Authorization', `Bearer ${token}`);
    await http.get('/probe/pros/pro-456');
    await http.get('/probe/boom').set('Authorization', `Bearer ${token}`);
    const res = await http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/probe\/pros\/:proId",status_class="2xx"\} 1/,
    );
    expect(res.text).toMatch(
      /http_requests_total\{method="GET",route="\/probe\/pros\/:proId",status_class="4xx"\} 1/,
    );
    // A refused caller is not the service's error.
    expect(res.text).not.toMatch(/http_request_errors_total\{[^}]*route="\/probe\/pros\/:proId"/);
    expect(res.text).toMatch(/http_request_errors_total\{method="GET",route="\/probe\/boom"\} 1/);
    expect(res.text).not.toContain('pro-123');
  });

  it('lets several apps in one process keep their own registries', async () => {
    const first = await start();
    const second = await start();
    await first.get('/health/live');
    expect((await first.get('/metrics')).text).toContain('route="/health/live"');
    expect((await second.get('/metrics')).text).not.toContain('route="/health/live"');
  });

  it('publishes the OpenAPI document and its UI', async () => {
    const http = await start();
    const json = await http.get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.info.title).toBe('CareService Calendar — probe');
    expect(json.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(json.body.paths).toHaveProperty('/health/ready');
    const ui = await http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
