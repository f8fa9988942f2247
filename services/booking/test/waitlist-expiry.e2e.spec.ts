import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, useBookingApp, utc } from './support/booking-app';

const suite = useBookingApp(
  { 'p-1': proSettings() },
  { WAITLIST_OFFER_TTL_SECONDS: '1', HOLD_EXPIRY_POLL_MS: '100' },
);

const post = (path: string, body: object) =>
  request(suite.app.getHttpServer())
    .post(path)
    .set('authorization', `Bearer ${suite.auth.service}`)
    .send(body);
const entry = async (entryId: string) =>
  (
    await request(suite.app.getHttpServer())
      .get(`/v1/waitlist/${entryId}`)
      .set('authorization', `Bearer ${suite.auth.service}`)
  ).body;
const join = (clientId: string) =>
  post('/v1/waitlist', {
    serviceId: 'wound-care',
    proId: 'p-1',
    window: { from: at('08:00'), to: at('12:00') },
    client: clientOf(clientId),
  }).expect(201);

describe('waitlist offers that run out', () => {
  it('moves an unanswered offer to the next in line, and refuses the expired one', async () => {
    const taken = await post('/v1/bookings', {
      serviceId: 'wound-care',
      proId: 'p-1',
      start: at('10:00'),
      client: clientOf('c-1'),
    }).expect(201);
    const first = await join('c-2');
    const second = await join('c-3');
    await post(`/v1/bookings/${taken.body.bookingId}/cancel`, {}).expect(200);

    const next = await eventually(async () => {
      const shown = await entry(second.body.entryId);
      expect(shown.offers.length).toBeGreaterThan(0);
      return shown;
    });
    expect(next.offers[0]).toMatchObject({ start: utc('10:00') });
    const lapsed = await entry(first.body.entryId);
    expect(lapsed.offers).toEqual([expect.objectContaining({ status: 'expired' })]);
    const refused = await post(`/v1/waitlist/${first.body.entryId}/accept`, {
      offerId: lapsed.offers[0].offerId,
    }).expect(409);
    expect(refused.body.type).toMatch(/offer-expired$/);
  });
});
