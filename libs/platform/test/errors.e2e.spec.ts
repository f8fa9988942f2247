import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { SECRET_FAILURE } from './support/probe.controller';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('problem+json errors', () => {
  let testApp: TestApp;
  let token: string;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await startTestApp();
    token = await signTestToken(TEST_SECRET, { sub: 'svc', roles: ['service'] });
  });
  afterAll(() => testApp.close());

  it('answers a body that fails its schema with 422 and the dotted path of each field', async () => {
    const res = await http()
      .post('/probe/weekly-hours')
      .set('Authorization', `Bearer ${token}`)
      .send({ timeZone: 'Europe/Paris', weeklyHours: [{ day: 1, start: '9am', end: '17:00' }] });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://careservice.example/problems/validation-error',
      status: 422,
      instance: '/probe/weekly-hours',
      errors: [{ field: 'weeklyHours.0.start', message: 'must be HH:MM' }],
    });
  });

  it('names a structural problem and a rule problem of one body in one answer', async () => {
    const res = await http()
      .post('/probe/weekly-hours')
      .set('Authorization', `Bearer ${token}`)
      .send({ timeZone: 'Mars/Base', weeklyHours: [{ day: 9, start: '09:00', end: '17:00' }] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'timeZone', message: 'unknown IANA time zone "Mars/Base"' },
      { field: 'weeklyHours.0.day', message: expect.any(String) },
    ]);
  });

  it('reports a missing body on the body itself and passes a valid one through', async () => {
    const missing = await http()
      .post('/probe/weekly-hours')
      .set('Authorization', `Bearer ${token}`);
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ field: 'body', message: 'Required' }]);

    const valid = { timeZone: 'UTC', weeklyHours: [{ day: 1, start: '09:00', end: '17:00' }] };
    const ok = await http()
      .post('/probe/weekly-hours')
      .set('Authorization', `Bearer ${token}`)
      .send(valid);
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual(valid);
  });

  it('validates the query string through parseOr400', async () => {
    const res = await http().get('/probe/search?limit=-3').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('The query string is not valid.');
    expect(res.body.errors[0].field).toBe('limit');
    const ok = await http().get('/probe/search?limit=3').set('Authorization', `Bearer ${token}`);
    expect(ok.body).toEqual({ limit: 3 });
  });

  it('answers malformed JSON with a 400 problem that still carries the correlation id', async () => {
    const res = await http()
      .post('/probe/weekly-hours')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('X-Correlation-Id', 'bad-json-1')
      .send('{"timeZone": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.headers['x-correlation-id']).toBe('bad-json-1');
    expect(res.body).toMatchObject({
      type: 'https://careservice.example/problems/bad-request',
      status: 400,
    });
    const logged = testApp.logs.find((line) => line.correlationId === 'bad-json-1');
    expect(logged).toMatchObject({ level: 'warn', res: { statusCode: 400 } });
  });

  it('keeps the exact bytes of a body for signature checks', async () => {
    const payload = '{"event":"invitee.created",  "n": 1}';
    const res = await http()
      .post('/probe/webhook')
      .set('Content-Type', 'application/json')
      .send(payload);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ raw: payload, parsed: { event: 'invitee.created', n: 1 } });
  });

  it('answers an unexpected error with a generic 500 and logs the real one', async () => {
    const res = await http()
      .get('/probe/boom')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Correlation-Id', 'boom-1');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(JSON.stringify(res.body)).not.toContain('db-primary');
    expect(res.body).not.toHaveProperty('stack');

    const logged = testApp.logs.find((line) => line.correlationId === 'boom-1' && line.err);
    expect((logged?.err as { message: string }).message).toBe(SECRET_FAILURE);
  });

  it('maps Nest exceptions by status: an unknown route is a 404 problem', async () => {
    const res = await http().get('/nowhere').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({
      type: 'https://careservice.example/problems/not-found',
      status: 404,
    });
  });

  it('sets Retry-After on a 429 problem', async () => {
    const res = await http().get('/probe/throttled').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body).toMatchObject({ type: 'https://careservice.example/problems/rate-limited' });
  });

  it('carries extension members such as alternatives', async () => {
    const res = await http().get('/probe/taken').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      type: 'https://careservice.example/problems/slot-taken',
      title: 'Slot no longer available',
      status: 409,
      detail: 'Someone booked it first.',
      instance: '/probe/taken',
      alternatives: ['2030-01-01T10:00:00Z'],
    });
  });
});
