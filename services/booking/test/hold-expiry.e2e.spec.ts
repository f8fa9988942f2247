import type { INestApplication } from '@nestjs/common';
import { createTestContext, eventually, type TestContext } from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  at,
  clientOf,
  proSettings,
  seedPros,
  startBookingApp,
  tokens,
} from './support/booking-app';

let ctx: TestContext;
let app: INestApplication | undefined;
let auth: Awaited<ReturnType<typeof tokens>>;

const shortHolds = { HOLD_TTL_SECONDS: '1', HOLD_EXPIRY_POLL_MS: '100' };

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  auth = await tokens();
});
afterAll(async () => {
  await app?.close();
  await ctx.cleanup();
});

describe('hold expiry', () => {
  it('releases a hold that fell due while the service was down once it is back', async () => {
    app = await startBookingApp(ctx, { ...shortHolds, HOLD_EXPIRY_POLL_MS: '3600000' });
    await seedPros(ctx, { 'p-1': proSettings() });
    const held = await request(app.getHttpServer())
      .post('/v1/bookings')
      .set('authorization', `Bearer ${auth.service}`)
      .send({
        serviceId: 'wound-care',
        proId: 'p-1',
        start: at('09:00'),
        client: clientOf('c-1'),
        hold: true,
      })
      .expect(201);
    await app.close();
    app = undefined;
    await new Promise((r) => setTimeout(r, 1_200));

    app = await startBookingApp(ctx, shortHolds);
    const server = app.getHttpServer();
    const expired = await eventually(async () => {
      const view = await request(server)
        .get(`/v1/bookings/${held.body.bookingId}`)
        .set('authorization', `Bearer ${auth.service}`)
        .expect(200);
      expect(view.body.status).toBe('expired');
      return view.body;
    });
    expect(expired.holdExpiresAt).toBeUndefined();
    const audit = await request(server)
      .get('/v1/audit/streams/pro-schedule-p-1')
      .set('authorization', `Bearer ${auth.service}`);
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual([
      'booking.held',
      'booking.hold_expired',
    ]);
    expect(audit.body.events[1].actor).toEqual({ kind: 'system', id: 'hold-expiry' });
    await request(server)
      .post(`/v1/bookings/${held.body.bookingId}/confirm`)
      .set('authorization', `Bearer ${auth.service}`)
      .expect(409);
    await request(server)
      .post('/v1/bookings')
      .set('authorization', `Bearer ${auth.service}`)
      .send({ serviceId: 'wound-care', proId: 'p-1', start: at('09:00'), client: clientOf('c-2') })
      .expect(201);
  });
});
