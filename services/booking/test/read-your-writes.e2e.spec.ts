import { proSettingsReplaced } from '@cs/contracts';
import { decodeConsistencyToken, encodeConsistencyToken } from '@cs/platform';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import {
  at,
  clientOf,
  proSettings,
  publish,
  startBookingApp,
  useBookingApp,
} from './support/booking-app';

// Far beyond any projection lag of a busy machine: a command with a token must never be refused here.
const suite = useBookingApp({}, { CONSISTENCY_WAIT_MS: '60000' });
const http = () => request(suite.app.getHttpServer());

const woundCare = (proId: string) => ({
  serviceId: 'wound-care',
  proId,
  start: at('10:00'),
  client: clientOf('c-1'),
  location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1, Utrecht' },
});

/** As `PUT /v1/pros/{proId}` would: the settings event on the bus, and the token of its position. */
async function configure(proId: string): Promise<string> {
  await publish(
    suite.ctx,
    proSettingsReplaced,
    `pro-${proId}`,
    { proId, settings: proSettings() },
    proId,
  );
  return encodeConsistencyToken([
    { context: 'availability', streamId: `pro-${proId}`, version: 1 },
  ])!;
}

describe('read your own writes in booking', () => {
  it('books a Pro whose settings were just written, never answering "no availability settings"', async () => {
    for (let i = 0; i < 50; i++) {
      const proId = `p-rw-${i}`;
      const token = await configure(proId);
      const booked = await http()
        .post('/v1/bookings')
        .set('authorization', `Bearer ${suite.auth.service}`)
        .set('if-consistent-with', token)
        .send(woundCare(proId))
        .expect(201);
      expect(decodeConsistencyToken(booked.headers['consistency-token'])).toEqual([
        { context: 'booking', streamId: `pro-schedule-${proId}`, version: 1 },
      ]);
      await http()
        .get(`/v1/bookings/${booked.body.bookingId}`)
        .set('authorization', `Bearer ${suite.auth.service}`)
        .query({ consistentWith: booked.headers['consistency-token'] })
        .expect(200);
    }
    // A bound for a loaded machine, where each event may take seconds to reach the read model.
  }, 600_000);

  it('answers 503 with Retry-After for a position its event store does not have, 400 for nonsense', async () => {
    const impatient = await startBookingApp(suite.ctx, { CONSISTENCY_WAIT_MS: '0' });
    try {
      const ahead = encodeConsistencyToken([
        { context: 'booking', streamId: 'pro-schedule-p-rw-0', version: 1_000 },
      ])!;
      const refused = await request(impatient.getHttpServer())
        .get('/v1/bookings')
        .set('authorization', `Bearer ${suite.auth.service}`)
        .set('if-consistent-with', ahead)
        .expect(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.headers['content-type']).toContain('application/problem+json');
    } finally {
      await impatient.close();
    }
    const garbage = await http()
      .get('/v1/bookings')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .set('if-consistent-with', '%%%')
      .expect(400);
    expect(garbage.body.errors[0].field).toBe('If-Consistent-With');
  });
});
