import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { INestApplication } from '@nestjs/common';
import { createTestContext, freePort, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BOOKING_PROTO, startGrpc } from '../src/infrastructure/grpc/grpc-server';
import {
  at,
  clientOf,
  DAY,
  proSettings,
  seedPros,
  startBookingApp,
  tokens,
  utc,
} from './support/booking-app';

type Call = (
  body: object,
  metadata: Metadata,
  done: (error: ServiceError | null, answer: Reply) => void,
) => void;
interface Reply {
  bookingId: string;
  status: string;
  start: string;
  version: number;
  proIds: string[];
  client: { clientId: string; name?: string };
}
interface BookingClient {
  Create: Call;
  Reschedule: Call;
  Cancel: Call;
  Get: Call;
  close(): void;
}

let ctx: TestContext;
let app: INestApplication;
let auth: Awaited<ReturnType<typeof tokens>>;
let client: BookingClient;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const port = await freePort();
  app = await startBookingApp(ctx, { GRPC_PORT: String(port) });
  await startGrpc(app);
  auth = await tokens();
  await seedPros(ctx, { 'p-1': proSettings() });
  // A client as another service would write it: the proto file, no Nest.
  const definition = loadPackageDefinition(
    loadSync(BOOKING_PROTO, { arrays: true, defaults: true }),
  ) as unknown as {
    cs: { booking: { v1: { Booking: new (url: string, creds: unknown) => BookingClient } } };
  };
  client = new definition.cs.booking.v1.Booking(`127.0.0.1:${port}`, credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await app.close();
  await ctx.cleanup();
});

const metadata = (token: string | undefined, extra: Record<string, string> = {}) => {
  const m = new Metadata();
  if (token) m.set('authorization', `Bearer ${token}`);
  for (const [k, v] of Object.entries(extra)) m.set(k, v);
  return m;
};
const call = (method: keyof Omit<BookingClient, 'close'>, body: object, m: Metadata) =>
  new Promise<{ error: ServiceError | null; reply: Reply }>((resolve) =>
    client[method](body, m, (error, reply) => resolve({ error, reply })),
  );
const create = (time: string, extra: object = {}) => ({
  serviceId: 'wound-care',
  proId: 'p-1',
  start: at(time),
  client: clientOf('c-1'),
  ...extra,
});

describe('cs.booking.v1.Booking', () => {
  it('creates, gets, reschedules and cancels a booking as HTTP does', async () => {
    const created = await call('Create', create('09:00'), metadata(auth.service));
    expect(created.error).toBeNull();
    expect(created.reply).toMatchObject({
      status: 'confirmed',
      proIds: ['p-1'],
      start: utc('09:00'),
      version: 1,
      client: { clientId: 'c-1', name: 'Anna de Vries' },
    });
    const { bookingId } = created.reply;

    const shown = await call('Get', { bookingId }, metadata(await auth.client('c-1')));
    expect(shown.reply).toMatchObject({ bookingId, status: 'confirmed' });
    const hidden = await call('Get', { bookingId }, metadata(await auth.client('c-2')));
    expect(hidden.error?.code).toBe(status.NOT_FOUND);

    const stale = await call(
      'Reschedule',
      { bookingId, start: at('11:00') },
      metadata(auth.service, { 'if-match': '"7"' }),
    );
    expect(stale.error?.code).toBe(status.FAILED_PRECONDITION);
    const moved = await call(
      'Reschedule',
      { bookingId, start: at('11:00') },
      metadata(auth.service, { 'if-match': '"1"' }),
    );
    expect(moved.reply).toMatchObject({ start: utc('11:00'), version: 2 });

    const cancelled = await call('Cancel', { bookingId, reason: 'ill' }, metadata(auth.service));
    expect(cancelled.reply).toMatchObject({ status: 'cancelled', version: 3 });
  });

  it('refuses a taken slot with ABORTED naming alternatives, and a retry with the same key gets the same booking', async () => {
    const key = { 'idempotency-key': 'grpc-1' };
    const first = await call('Create', create('13:00'), metadata(auth.service, key));
    const again = await call('Create', create('13:00'), metadata(auth.service, key));
    expect(again.reply.bookingId).toBe(first.reply.bookingId);
    const taken = await call('Create', create('13:00'), metadata(auth.service));
    expect(taken.error?.code).toBe(status.ABORTED);
    expect(taken.error?.details).toContain(`alternatives: ${DAY}T`);
  });

  it('names a bad field, and wants a token', async () => {
    const bad = await call(
      'Create',
      create('09:00', { start: 'tomorrow' }),
      metadata(auth.service),
    );
    expect(bad.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.error?.details).toMatch(/start/);
    const anonymous = await call('Get', { bookingId: 'x' }, metadata(undefined));
    expect(anonymous.error?.code).toBe(status.UNAUTHENTICATED);
  });
});
