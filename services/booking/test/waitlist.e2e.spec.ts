import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, useBookingApp, utc } from './support/booking-app';

const suite = useBookingApp({ 'p-1': proSettings(), 'p-2': proSettings() });

const http = () => request(suite.app.getHttpServer());
const post = (path: string, body: object, token = suite.auth.service) =>
  http().post(path).set('authorization', `Bearer ${token}`).send(body);
const get = (path: string, token = suite.auth.service) =>
  http().get(path).set('authorization', `Bearer ${token}`);
const book = (proId: string, time: string, clientId = 'c-1') =>
  post('/v1/bookings', {
    serviceId: 'wound-care',
    proId,
    start: at(time),
    client: clientOf(clientId),
  });
const join = (target: object, clientId: string, from: string, to: string) =>
  post('/v1/waitlist', {
    serviceId: 'wound-care',
    ...target,
    window: { from: at(from), to: at(to) },
    client: clientOf(clientId),
    location: null,
  });

describe('waitlist', () => {
  it('offers a cancelled slot to the first in line, who books it by accepting', async () => {
    const taken = await book('p-1', '09:00').expect(201);
    const first = await join({ proId: 'p-1' }, 'c-2', '08:00', '12:00').expect(201);
    const second = await join({ territoryId: 'nl-utrecht' }, 'c-3', '08:00', '12:00').expect(201);
    const third = await join({ proId: 'p-1' }, 'c-4', '08:00', '12:00').expect(201);
    expect(first.body.position).toBe(1);
    expect(second.body.position).toBe(1);
    expect(third.body.position).toBe(2);

    await post(`/v1/bookings/${taken.body.bookingId}/cancel`, { reason: 'ill' }).expect(200);
    const offered = await eventually(async () => {
      const entry = await get(`/v1/waitlist/${first.body.entryId}`).expect(200);
      expect(entry.body.offers).toHaveLength(1);
      return entry.body;
    });
    expect(offered.offers[0]).toMatchObject({
      proId: 'p-1',
      start: utc('09:00'),
      status: 'open',
    });
    // One offer per slot: nobody else in line is offered it meanwhile.
    expect((await get(`/v1/waitlist/${second.body.entryId}`)).body.offers).toEqual([]);
    expect((await get(`/v1/waitlist/${third.body.entryId}`)).body.offers).toEqual([]);

    const client = await suite.auth.client('c-2');
    await post(
      `/v1/waitlist/${first.body.entryId}/accept`,
      { offerId: offered.offers[0].offerId },
      await suite.auth.client('c-3'),
    ).expect(404);
    const booked = await post(
      `/v1/waitlist/${first.body.entryId}/accept`,
      { offerId: offered.offers[0].offerId },
      client,
    ).expect(201);
    expect(booked.body).toMatchObject({
      status: 'confirmed',
      proIds: ['p-1'],
      start: utc('09:00'),
      client: { clientId: 'c-2' },
    });
    const entry = await get(`/v1/waitlist/${first.body.entryId}`, client).expect(200);
    expect(entry.body).toMatchObject({
      status: 'booked',
      position: null,
      bookingId: booked.body.bookingId,
    });
    expect(entry.body.offers[0].status).toBe('accepted');
    await post(
      `/v1/waitlist/${first.body.entryId}/accept`,
      { offerId: offered.offers[0].offerId },
      client,
    ).expect(409);

    const audit = await get(`/v1/audit/streams/waitlist-${first.body.entryId}`).expect(200);
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual([
      'waitlist.joined',
      'waitlist.offer_made',
      'waitlist.offer_accepted',
    ]);
    expect(audit.body.events[0].data).not.toHaveProperty('client');
  });

  it("offers a slot freed by a reschedule to an entry of the Pro's territory", async () => {
    const moving = await book('p-2', '14:00', 'c-5').expect(201);
    const waiting = await join({ territoryId: 'nl-utrecht' }, 'c-6', '13:30', '15:30').expect(201);
    await post(`/v1/bookings/${moving.body.bookingId}/reschedule`, { start: at('16:00') }).expect(
      200,
    );
    const offered = await eventually(async () => {
      const entry = await get(`/v1/waitlist/${waiting.body.entryId}`).expect(200);
      expect(entry.body.offers).toHaveLength(1);
      return entry.body;
    });
    expect(offered.offers[0]).toMatchObject({ proId: 'p-2', start: utc('14:00') });
  });

  it('refuses a window that ends before it starts and lets a client wait only for itself and a Pro only on its own list', async () => {
    const refused = await join({ proId: 'p-1' }, 'c-2', '12:00', '10:00').expect(422);
    expect(refused.body.errors[0].field).toBe('window.to');
    await post(
      '/v1/waitlist',
      {
        serviceId: 'wound-care',
        proId: 'p-1',
        window: { from: at('08:00'), to: at('12:00') },
        client: clientOf('c-9'),
      },
      await suite.auth.client('c-8'),
    ).expect(403);
    await post(
      '/v1/waitlist',
      {
        serviceId: 'wound-care',
        territoryId: 'nl-utrecht',
        window: { from: at('08:00'), to: at('12:00') },
        client: clientOf('c-9'),
      },
      await suite.auth.pro('p-1'),
    ).expect(403);
  });
});
