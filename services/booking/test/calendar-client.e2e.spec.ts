import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { status } from '@grpc/grpc-js';
import type { INestApplication } from '@nestjs/common';
import {
  bodyOf,
  type BookingGrpc,
  bookingGrpcClient,
  CalendarClient,
  type GrpcClient,
} from '@cs/client';
import { createTestContext, freePort, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGrpc } from '../src/infrastructure/grpc/grpc-server';
import {
  at,
  clientOf,
  proSettings,
  seedPros,
  startBookingApp,
  tokens,
  utc,
} from './support/booking-app';

let ctx: TestContext;
let app: INestApplication;
let client: CalendarClient;
let grpc: GrpcClient<BookingGrpc.BookingMethods>;
/** Set: the network "loses" the next answer after the service has handled the request. */
let loseNextAnswer = false;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const grpcPort = await freePort();
  app = await startBookingApp(ctx, { GRPC_PORT: String(grpcPort) });
  await startGrpc(app);
  const auth = await tokens();
  await seedPros(ctx, { 'p-1': proSettings(), 'p-2': proSettings(), 'p-3': proSettings() });
  const server = app.getHttpServer() as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new CalendarClient({
    baseUrls: { booking: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    token: auth.service,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!loseNextAnswer) return response;
      loseNextAnswer = false;
      throw new TypeError('fetch failed');
    },
  });
  grpc = bookingGrpcClient({ address: `127.0.0.1:${grpcPort}`, token: auth.service });
});
afterAll(async () => {
  grpc?.close();
  await app?.close();
  await ctx?.cleanup();
});

const woundCare = (proId: string, time: string) => ({
  serviceId: 'wound-care',
  proId,
  start: at(time),
  client: clientOf('c-1'),
});

describe('the client package against the booking service', () => {
  it('books over HTTP, and the answer has the shape the client types', async () => {
    const booked = bodyOf(
      await client.booking.post('/v1/bookings', { body: woundCare('p-1', '09:00') }),
      201,
    );
    expect(booked).toMatchObject({
      status: 'confirmed',
      proIds: ['p-1'],
      serviceId: 'wound-care',
      start: utc('09:00'),
      end: utc('09:45'),
      version: 1,
      client: { clientId: 'c-1', name: 'Anna de Vries' },
    });
    const shown = await client.booking.get('/v1/bookings/{bookingId}', {
      params: { bookingId: booked.bookingId },
    });
    expect(bodyOf(shown, 200)).toMatchObject({ bookingId: booked.bookingId, version: 1 });
  });

  it('repeats a booking whose answer was lost with the same key: booked once', async () => {
    loseNextAnswer = true;
    const answer = await client.booking.post('/v1/bookings', { body: woundCare('p-2', '11:00') });
    expect(answer).toMatchObject({ ok: true, status: 201, attempts: 2 });
    const listed = await client.booking.get('/v1/bookings', { query: { proId: 'p-2' } });
    expect(bodyOf(listed, 200).items.map((b) => b.start)).toEqual([utc('11:00')]);
  });

  it('answers a taken slot with its problem at once', async () => {
    const refused = await client.booking.post('/v1/bookings', {
      body: woundCare('p-1', '09:30'),
    });
    expect(refused).toMatchObject({ ok: false, status: 409, attempts: 1 });
    if (refused.ok) throw new Error('booked a taken slot');
    expect(refused.body.type).toMatch(/slot-unavailable$/);
  });

  it('creates, gets, reschedules and cancels over gRPC, typed from the proto', async () => {
    const created = await grpc.Create({
      serviceId: 'wound-care',
      proId: 'p-3',
      start: at('09:00'),
      client: clientOf('c-1'),
    });
    expect(created).toMatchObject({ status: 'confirmed', proIds: ['p-3'], version: 1 });
    const { bookingId } = created;
    expect(await grpc.Get({ bookingId })).toMatchObject({ bookingId, start: utc('09:00') });
    await expect(
      grpc.Reschedule({ bookingId, start: at('11:00') }, { ifMatch: 7 }),
    ).rejects.toMatchObject({ details: expect.any(String), code: status.FAILED_PRECONDITION });
    const moved = await grpc.Reschedule({ bookingId, start: at('11:00') }, { ifMatch: 1 });
    expect(moved).toMatchObject({ start: utc('11:00'), version: 2 });
    const cancelled = await grpc.Cancel({ bookingId, reason: 'ill' });
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 3 });
  });
});
