import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, useBookingApp, utc } from './support/booking-app';

const suite = useBookingApp({ 'p-1': proSettings(), 'p-2': proSettings(), 'p-3': proSettings() });

const post = (path: string, body: object, token = suite.auth.service) =>
  request(suite.app.getHttpServer()).post(path).set('authorization', `Bearer ${token}`).send(body);
const item = (proId: string, time: string, clientId = 'c-1') => ({
  serviceId: 'wound-care',
  proId,
  start: at(time),
  client: clientOf(clientId),
});
const bookingsOf = async (packageId: string) =>
  (await suite.ctx.pool.query('SELECT status FROM bookings WHERE package_id = $1', [packageId]))
    .rows;

describe('POST /v1/bookings/batch', () => {
  it('books every item of a package, each a booking carrying the package id', async () => {
    const created = await post('/v1/bookings/batch', {
      packageId: 'pkg-1',
      atomic: true,
      items: [item('p-1', '09:00'), item('p-1', '10:00'), item('p-2', '09:00')],
    }).expect(201);
    expect(created.body.packageId).toBe('pkg-1');
    expect(created.body.items.map((i: { status: string }) => i.status)).toEqual([
      'booked',
      'booked',
      'booked',
    ]);
    expect(created.body.items[1].booking).toMatchObject({
      status: 'confirmed',
      proIds: ['p-1'],
      start: utc('10:00'),
      packageId: 'pkg-1',
    });
    expect(await bookingsOf('pkg-1')).toHaveLength(3);
  });

  it('books none when one item is taken, names that item and offers the package at other times', async () => {
    await post('/v1/bookings', item('p-3', '11:00')).expect(201);
    const refused = await post('/v1/bookings/batch', {
      packageId: 'pkg-2',
      atomic: true,
      items: [item('p-3', '10:00'), item('p-3', '11:00')],
    }).expect(409);
    expect(refused.body.type).toMatch(/slot-unavailable$/);
    expect(refused.body.items).toEqual([
      expect.objectContaining({ index: 1, status: 'unavailable' }),
    ]);
    expect(refused.body.items[0].alternatives.length).toBeGreaterThan(0);
    expect(refused.body.alternatives.length).toBeGreaterThan(0);
    for (const alternative of refused.body.alternatives) {
      const [first, second] = alternative.items;
      expect(Date.parse(second.start) - Date.parse(first.start)).toBe(60 * 60_000);
    }
    expect(await bookingsOf('pkg-2')).toHaveLength(0);
    // The free item was not kept: its slot can still be booked.
    await post('/v1/bookings', item('p-3', '10:00')).expect(201);

    const alternative = refused.body.alternatives.at(-1);
    const rebooked = await post('/v1/bookings/batch', {
      atomic: true,
      items: alternative.items.map((i: { start: string }) => ({
        ...item('p-3', '00:00'),
        start: i.start,
      })),
    }).expect(201);
    expect(rebooked.body.items).toHaveLength(2);
  });

  it('books the free items of a non-atomic package and lists the fate of each', async () => {
    await post('/v1/bookings', item('p-2', '14:00')).expect(201);
    const partial = await post('/v1/bookings/batch', {
      atomic: false,
      items: [item('p-2', '14:00'), item('p-2', '15:00')],
    }).expect(201);
    expect(partial.body.items.map((i: { status: string }) => i.status)).toEqual([
      'unavailable',
      'booked',
    ]);
  });

  it('names the item whose request breaks a rule, and lets a client book only for itself', async () => {
    const unknown = await post('/v1/bookings/batch', {
      atomic: true,
      items: [item('p-1', '13:00'), { ...item('p-1', '15:00'), serviceId: 'bathing' }],
    }).expect(422);
    expect(unknown.body.errors[0].field).toBe('items.1.serviceId');
    const malformed = await post('/v1/bookings/batch', {
      atomic: true,
      items: [{ ...item('p-1', '13:00'), recurrence: { rrule: 'FREQ=WEEKLY;COUNT=2' } }],
    }).expect(422);
    expect(malformed.body.errors[0].field).toBe('items.0.recurrence');
    await post(
      '/v1/bookings/batch',
      { atomic: true, items: [item('p-1', '13:00', 'c-1'), item('p-1', '15:00', 'c-2')] },
      await suite.auth.client('c-1'),
    ).expect(403);
  });
});
