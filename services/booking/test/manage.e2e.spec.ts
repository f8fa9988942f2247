import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, DAY, proSettings, useBookingApp, utc } from './support/booking-app';
import { addDays } from './support/test-day';
import { hours } from './support/domain-fixtures';

const evenings = {
  weeklyHours: [...proSettings().weeklyHours, hours(['TU'], '17:00', '20:00', true)],
};

const suite = useBookingApp({
  'p-1': proSettings(),
  'p-2': proSettings(),
  'p-3': proSettings(),
  'p-4': proSettings(evenings),
});

const http = () => request(suite.app.getHttpServer());
const post = (path: string, body: object, token = suite.auth.service) =>
  http().post(path).set('authorization', `Bearer ${token}`).send(body);
const woundCare = (proId: string, time: string, extra: object = {}) => ({
  serviceId: 'wound-care',
  proId,
  start: at(time),
  client: clientOf('c-1'),
  ...extra,
});
const streamTypes = async (proId: string) =>
  (
    await http()
      .get(`/v1/audit/streams/pro-schedule-${proId}`)
      .set('authorization', `Bearer ${suite.auth.service}`)
  ).body.events.map((e: { type: string }) => e.type);

describe('holds, confirm, cancel, reschedule', () => {
  it('holds a slot for the TTL and makes one booking of two concurrent confirms', async () => {
    const held = await post('/v1/bookings', woundCare('p-1', '09:00', { hold: true })).expect(201);
    expect(held.body.status).toBe('held');
    const ttl = Date.parse(held.body.holdExpiresAt) - Date.parse(held.body.createdAt);
    expect(ttl).toBeGreaterThan(10 * 60_000 - 1_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    await post('/v1/bookings', woundCare('p-1', '09:00')).expect(409);

    const confirms = await Promise.all([
      post(`/v1/bookings/${held.body.bookingId}/confirm`, {}),
      post(`/v1/bookings/${held.body.bookingId}/confirm`, {}),
    ]);
    expect(confirms.map((c) => c.status)).toEqual([200, 200]);
    expect(confirms.map((c) => c.body.status)).toEqual(['confirmed', 'confirmed']);
    expect(confirms[0]!.body.version).toBe(2);
    expect(await streamTypes('p-1')).toEqual(['booking.held', 'booking.confirmed']);
  });

  it('frees the time at once on cancel, and answers 412 to a stale If-Match', async () => {
    const booked = await post('/v1/bookings', woundCare('p-1', '11:00')).expect(201);
    const stale = await http()
      .post(`/v1/bookings/${booked.body.bookingId}/cancel`)
      .set('authorization', `Bearer ${suite.auth.service}`)
      .set('if-match', '"7"')
      .send({ reason: 'ill' })
      .expect(412);
    expect(stale.body.currentVersion).toBe(1);
    const cancelled = await post(`/v1/bookings/${booked.body.bookingId}/cancel`, {
      reason: 'ill',
    }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 2 });
    await post('/v1/bookings', woundCare('p-1', '11:00')).expect(201);
    await post(`/v1/bookings/${booked.body.bookingId}/confirm`, {}).expect(409);
  });

  it('reschedules into a free slot, to another Pro, and refuses a taken one', async () => {
    const booked = await post('/v1/bookings', woundCare('p-1', '13:00')).expect(201);
    const blocker = await post('/v1/bookings', woundCare('p-1', '15:00')).expect(201);
    // 13:15 overlaps the booking itself: only the others count.
    const moved = await post(`/v1/bookings/${booked.body.bookingId}/reschedule`, {
      start: at('13:15'),
    }).expect(200);
    expect(moved.body).toMatchObject({ start: utc('13:15'), version: 2 });
    const refused = await post(`/v1/bookings/${booked.body.bookingId}/reschedule`, {
      start: at('15:30'),
    }).expect(409);
    expect(refused.body.alternatives.length).toBeGreaterThan(0);
    const toOther = await post(`/v1/bookings/${booked.body.bookingId}/reschedule`, {
      start: at('15:00'),
      proId: 'p-2',
    }).expect(200);
    expect(toOther.body).toMatchObject({ proIds: ['p-2'], start: utc('15:00') });
    await post('/v1/bookings', woundCare('p-1', '13:15')).expect(201);
    await post('/v1/bookings', woundCare('p-2', '15:00')).expect(409);
    expect(blocker.status).toBe(201);
    expect(await streamTypes('p-2')).toEqual(['booking.rescheduled']);
  });
});

describe('groups and series', () => {
  it('books a group with every Pro or, when one is busy, with none, offering common slots', async () => {
    await post('/v1/bookings', woundCare('p-3', '09:00')).expect(201);
    const group = { ...woundCare('p-3', '09:00'), proId: undefined, proIds: ['p-2', 'p-3'] };
    const refused = await post('/v1/bookings', group).expect(409);
    expect(refused.body.alternatives[0].proIds).toEqual(['p-2', 'p-3']);
    const { rows } = await suite.ctx.pool.query(
      "SELECT count(*)::int AS n FROM bookings WHERE 'p-2' = ANY(pro_ids) AND start_at = $1",
      [at('09:00')],
    );
    expect(rows[0].n).toBe(0);
    const booked = await post('/v1/bookings', { ...group, start: at('10:00') }).expect(201);
    expect(booked.body.proIds).toEqual(['p-2', 'p-3']);
    await post('/v1/bookings', woundCare('p-2', '10:00')).expect(409);
  });

  it('books a weekly series all or nothing (reject) or the free occurrences (skip)', async () => {
    await post('/v1/bookings', {
      ...woundCare('p-2', '16:00'),
      start: at('16:00', addDays(DAY, 14)),
    }).expect(201);
    const weekly = (onConflict: string) =>
      woundCare('p-2', '16:00', { recurrence: { rrule: 'FREQ=WEEKLY;COUNT=4', onConflict } });
    const rejected = await post('/v1/bookings', weekly('reject')).expect(409);
    expect(rejected.body.occurrences.map((o: { status: string }) => o.status)).toEqual([
      'confirmed',
      'confirmed',
      'unavailable',
      'confirmed',
    ]);
    const { rows } = await suite.ctx.pool.query(
      'SELECT count(*)::int AS n FROM bookings WHERE series_id IS NOT NULL',
    );
    expect(rows[0].n).toBe(0);
    const skipped = await post('/v1/bookings', weekly('skip')).expect(201);
    expect(skipped.body.occurrences.map((o: { status: string }) => o.status)).toEqual([
      'confirmed',
      'confirmed',
      'skipped',
      'confirmed',
    ]);
    expect(skipped.body.occurrences[1].start).toBe(utc('16:00', addDays(DAY, 7)));
  });
});

describe('emergency and override', () => {
  it('lets only emergencies use emergency-only windows', async () => {
    await post('/v1/bookings', woundCare('p-4', '18:00')).expect(409);
    const emergency = await post(
      '/v1/bookings',
      woundCare('p-4', '18:00', { priority: 'emergency' }),
    ).expect(201);
    expect(emergency.body.priority).toBe('emergency');
  });

  it('lets the service role override working windows with a recorded reason, never over another booking', async () => {
    const override = { reason: 'palliative care, agreed by phone' };
    await post(
      '/v1/bookings',
      woundCare('p-4', '07:00', { override }),
      await suite.auth.client('c-1'),
    ).expect(403);
    const booked = await post('/v1/bookings', woundCare('p-4', '07:00', { override })).expect(201);
    expect(booked.body.override).toEqual(override);
    const audit = await http()
      .get('/v1/audit/streams/pro-schedule-p-4')
      .set('authorization', `Bearer ${suite.auth.service}`);
    expect(audit.body.events.at(-1)).toMatchObject({
      type: 'booking.confirmed',
      actor: { kind: 'service', id: 'scheduler' },
      data: { override },
    });
    await post('/v1/bookings', woundCare('p-4', '07:30', { override })).expect(409);
  });
});
