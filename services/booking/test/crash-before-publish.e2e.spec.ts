import type { ChildProcess } from 'node:child_process';
import {
  DATABASE_URL,
  TEST_JWT_SECRET,
  createTestContext,
  eventually,
  freePort,
  spawnTs,
  testPersonalDataEnv,
  startNatsServer,
  waitForExit,
  type NatsServerHandle,
  type TestContext,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, seedPros, tokens } from './support/booking-app';

let nats: NatsServerHandle;
let ctx: TestContext;
let child: ChildProcess | undefined;

/** The service as its own process, on the private bus, so it can be killed outright. */
async function spawnBooking(): Promise<string> {
  const port = await freePort();
  child = spawnTs('services/booking/src/main.ts', {
    DATABASE_URL,
    NATS_URL: nats.url,
    DB_SCHEMA: ctx.schema,
    ...testPersonalDataEnv(ctx.schema),
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PORT: String(port),
    GRPC_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
  });
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    async () => expect((await fetch(`${base}/health/live`)).status).toBe(200),
    30_000,
    200,
  );
  return base;
}

async function kill(): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child);
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  nats = await startNatsServer();
  ctx = await createTestContext({ streams: [], natsUrl: nats.url });
});
afterAll(async () => {
  await kill();
  await ctx.cleanup();
  await nats.dispose();
});

describe('a booking and a crash between commit and publish', () => {
  it('keeps the booking and puts its event on the bus exactly once after a restart', async () => {
    const base = await spawnBooking();
    await seedPros(ctx, { 'p-1': proSettings() });
    // With the bus down the relay cannot publish: the event waits in the outbox.
    await nats.stop();
    const token = (await tokens()).service;
    const answer = await fetch(`${base}/v1/bookings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: 'wound-care',
        proId: 'p-1',
        start: at('09:00'),
        client: clientOf('c-1'),
      }),
    });
    expect(answer.status).toBe(201);
    const booking = (await answer.json()) as { bookingId: string };
    const waiting = await ctx.pool.query<{ event_id: string }>('SELECT event_id FROM outbox');
    expect(waiting.rows).toHaveLength(1);
    await kill();

    await nats.restart();
    const restarted = await spawnBooking();
    await eventually(async () => {
      const { rows } = await ctx.pool.query('SELECT count(*)::int AS n FROM outbox');
      expect(rows[0].n).toBe(0);
    }, 30_000);

    const stream = ctx.naming.stream('booking');
    const subject = ctx.naming.subject('booking', 'booking.confirmed', 'p-1');
    const info = await ctx.jsm.streams.info(stream, { subjects_filter: subject });
    expect(info.state.subjects).toEqual({ [subject]: 1 });
    const message = await ctx.jsm.streams.getMessage(stream, { last_by_subj: subject });
    expect(message!.json<{ id: string; data: { bookingId: string } }>()).toMatchObject({
      id: waiting.rows[0]!.event_id,
      data: { bookingId: booking.bookingId },
    });
    const shown = await fetch(`${restarted}/v1/bookings/${booking.bookingId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await shown.json()) as { status: string }).status).toBe('confirmed');
  });
});
