import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, useBookingApp, utc } from './support/booking-app';

const suite = useBookingApp({ 'p-1': proSettings(), 'p-2': proSettings(), 'p-3': proSettings() });

const book = (token: string, body: object, key?: string) => {
  const r = request(suite.app.getHttpServer())
    .post('/v1/bookings')
    .set('authorization', `Bearer ${token}`);
  if (key) r.set('idempotency-key', key);
  return r.send(body);
};

/**
 * Sends until the answer is final, as a client honouring Retry-After does: with 200 requests
 * queued on one Pro's lock, a loaded machine may run out of pool time for a few (503).
 */
const bookAnswered = async (token: string, body: object) => {
  for (;;) {
    const answer = await book(token, body);
    if (answer.status !== 503 || !answer.headers['retry-after']) return answer;
    await new Promise((resolve) =>
      setTimeout(resolve, Number(answer.headers['retry-after']) * 1_000),
    );
  }
};

const woundCare = (proId: string, time: string, clientId = 'c-1') => ({
  serviceId: 'wound-care',
  proId,
  start: at(time),
  client: clientOf(clientId),
  location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1, Utrecht' },
});

describe('POST /v1/bookings', () => {
  it('books a free slot, shows it and records booking.confirmed on the Pro schedule', async () => {
    const created = await book(suite.auth.service, woundCare('p-1', '09:00')).expect(201);
    expect(created.body).toMatchObject({
      status: 'confirmed',
      proIds: ['p-1'],
      serviceId: 'wound-care',
      start: utc('09:00'),
      end: utc('09:45'),
      version: 1,
    });
    const shown = await request(suite.app.getHttpServer())
      .get(`/v1/bookings/${created.body.bookingId}`)
      .set('authorization', `Bearer ${await suite.auth.client('c-1')}`)
      .expect(200);
    expect(shown.body).toMatchObject({
      bookingId: created.body.bookingId,
      client: { name: 'Anna de Vries' },
    });
    const audit = await request(suite.app.getHttpServer())
      .get('/v1/audit/streams/pro-schedule-p-1')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(200);
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual(['booking.confirmed']);
    expect(audit.body.events[0].data).not.toHaveProperty('client.email');
  });

  it('refuses a slot inside the buffer of another booking with 409 and the nearest alternatives', async () => {
    const refused = await book(suite.auth.service, woundCare('p-1', '09:45')).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.type).toMatch(/slot-unavailable$/);
    expect(refused.body.alternatives.length).toBeGreaterThan(0);
    expect(refused.body.alternatives[0]).toMatchObject({ proIds: ['p-1'] });
    expect(refused.body.alternatives.map((a: { start: string }) => a.start)).toContain(
      utc('10:00'),
    );
    await book(suite.auth.service, woundCare('p-1', '10:00')).expect(201);
  });

  it('gives exactly one of 200 concurrent requests for one slot; the others get 409 with alternatives', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        bookAnswered(suite.auth.service, woundCare('p-2', '11:00', `c-${i}`)),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(answers.find((a) => a.status === 409)!.body.alternatives.length).toBeGreaterThan(0);
    const { rows } = await suite.ctx.pool.query(
      "SELECT count(*)::int AS n FROM bookings WHERE 'p-2' = ANY(pro_ids) AND status = 'confirmed'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('keeps the gap rule under 200 concurrent requests for overlapping slots', async () => {
    const times = Array.from({ length: 200 }, (_, i) => {
      const minutes = 9 * 60 + (i % 28) * 15;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    });
    const answers = await Promise.all(
      times.map((t, i) => bookAnswered(suite.auth.service, woundCare('p-3', t, `c-${i}`))),
    );
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const booked = answers
      .filter((a) => a.status === 201)
      .map((a) => ({ start: Date.parse(a.body.start), end: Date.parse(a.body.end) }))
      .sort((a, b) => a.start - b.start);
    expect(booked.length).toBeGreaterThan(1);
    for (let i = 1; i < booked.length; i++) {
      // wound care has a 15-minute buffer after it.
      expect(booked[i]!.start - booked[i - 1]!.end).toBeGreaterThanOrEqual(15 * 60_000);
    }
  });

  it('answers a retried request with the same Idempotency-Key with the same booking, and refuses the key with another body', async () => {
    const first = await book(suite.auth.service, woundCare('p-1', '13:00'), 'key-1').expect(201);
    const again = await book(suite.auth.service, woundCare('p-1', '13:00'), 'key-1').expect(201);
    expect(again.body.bookingId).toBe(first.body.bookingId);
    const other = await book(suite.auth.service, woundCare('p-1', '15:00'), 'key-1').expect(422);
    expect(other.body.errors[0].field).toBe('Idempotency-Key');
    const refused = await book(suite.auth.service, woundCare('p-1', '13:00'), 'key-2').expect(409);
    const refusedAgain = await book(suite.auth.service, woundCare('p-1', '13:00'), 'key-2').expect(
      409,
    );
    expect(refusedAgain.body).toEqual(refused.body);
  });

  it('lets a client book and see only its own bookings', async () => {
    const client = await suite.auth.client('c-7');
    await book(client, woundCare('p-1', '14:00', 'c-8')).expect(403);
    const own = await book(client, woundCare('p-1', '14:00', 'c-7')).expect(201);
    const other = await book(suite.auth.service, woundCare('p-1', '16:00', 'c-8')).expect(201);
    await request(suite.app.getHttpServer())
      .get(`/v1/bookings/${other.body.bookingId}`)
      .set('authorization', `Bearer ${client}`)
      .expect(404);
    const mine = await request(suite.app.getHttpServer())
      .get('/v1/bookings')
      .set('authorization', `Bearer ${client}`)
      .expect(200);
    expect(mine.body.items.map((b: { bookingId: string }) => b.bookingId)).toEqual([
      own.body.bookingId,
    ]);
    await request(suite.app.getHttpServer())
      .post(`/v1/bookings/${other.body.bookingId}/cancel`)
      .set('authorization', `Bearer ${client}`)
      .send({ reason: 'not mine' })
      .expect(404);
  });

  it('names the fields of a malformed request and refuses an unknown service with 422', async () => {
    const malformed = await book(suite.auth.service, {
      ...woundCare('p-1', '09:00'),
      start: 'tomorrow',
    }).expect(422);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'start' })]);
    const unknown = await book(suite.auth.service, {
      ...woundCare('p-1', '12:00'),
      serviceId: 'bathing',
    }).expect(422);
    expect(unknown.body.errors[0].field).toBe('serviceId');
  });
});
