import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import {
  proSettingsReplaced,
  territorySettingsReplaced,
  type EventDefinition,
} from '@cs/contracts';
import { newId } from '@cs/eventing';
import { createServiceApp, signTestToken } from '@cs/platform';
// The Jest-free part of the test helpers: a schema and stream prefix of the bench's own.
import { DATABASE_URL, ensureInfrastructure } from '../libs/testing/src/infrastructure';
import { createTestContext, type TestContext } from '../libs/testing/src/test-context';
import { bookingService } from '../services/booking/src/service';
import { testPersonalDataEnv } from '../libs/testing/src/test-personal-data';
import { UNLIMITED_CALLER } from './support/service-env';

/**
 * Booking commands over real HTTP against the real PostgreSQL and NATS (docs/design.md §7): latency of a
 * confirmed booking one at a time, throughput with concurrent clients across 100 Pros (without
 * and with the client's contact details, which are sealed under the client's key: docs/adr/0008),
 * and 200 concurrent attempts on one slot.
 */
const PROS = 100;
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 300);
const CONCURRENT_TOTAL = Number(process.env.BENCH_CONCURRENT ?? 1_500);
const CONCURRENCY = 32;
const SECRET = 'bench-secret-bench-secret-bench-secret';
const MONDAY = Date.parse('2031-06-02T00:00:00Z');
const CONTACT = { name: 'Bench Client', email: 'client@bench.example', phone: '+31600000000' };

async function publish(
  ctx: TestContext,
  definition: EventDefinition,
  streamId: string,
  data: unknown,
  proId?: string,
) {
  const now = new Date().toISOString();
  await ctx.js.publish(
    ctx.naming.subject(definition.context, definition.type, proId),
    JSON.stringify({
      id: newId(),
      type: definition.type,
      schemaVersion: definition.schemaVersion,
      streamId,
      streamVersion: 1,
      occurredAt: now,
      recordedAt: now,
      correlationId: newId(),
      causationId: null,
      actor: { kind: 'service', id: 'bench' },
      data,
    }),
  );
}

const settings = {
  timeZone: 'UTC',
  territoryId: 'bench',
  homeLocation: null,
  services: [
    { serviceId: 'visit', durationMinutes: 45, bufferBeforeMinutes: 0, bufferAfterMinutes: 15 },
  ],
  weeklyHours: [
    {
      days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
      start: '08:00',
      end: '20:00',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
  ],
  dateOverrides: [],
  minNoticeMinutes: 0,
  horizonDays: null,
  maxBookingsPerDay: null,
  slotStepMinutes: 15,
  worksOnHolidays: true,
  staleSourcePolicy: 'ignore',
};

/** The n-th distinct one-hour slot of a Pro: 12 a day from 08:00 UTC. */
const slot = (n: number) =>
  new Date(MONDAY + Math.floor(n / 12) * 86_400_000 + (8 + (n % 12)) * 3_600_000).toISOString();

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  await ensureInfrastructure();
  const ctx = await createTestContext({ streams: [] });
  const app = await createServiceApp(bookingService, {
    DATABASE_URL,
    NATS_URL: ctx.natsUrl,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: SECRET,
    ...UNLIMITED_CALLER,
    ...testPersonalDataEnv(ctx.schema),
    LOG_LEVEL: 'silent',
  });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
  try {
    await publish(ctx, territorySettingsReplaced, 'territory-bench', {
      territoryId: 'bench',
      settings: {
        timeZone: 'UTC',
        holidayRegion: 'NL',
        averageSpeedKmh: null,
        detourFactor: null,
        serviceRadiusKm: null,
        defaults: {
          minNoticeMinutes: null,
          horizonDays: null,
          maxBookingsPerDay: null,
          reminderOffsetsMinutes: null,
        },
      },
    });
    for (let p = 0; p < PROS; p++)
      await publish(ctx, proSettingsReplaced, `pro-b${p}`, { proId: `b${p}`, settings }, `b${p}`);
    for (;;) {
      const { rows } = await ctx.pool.query(
        'SELECT count(*)::int AS n FROM proj_schedule_inputs_pros',
      );
      if (rows[0].n === PROS) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const book = async (proId: string, start: string, clientId = 'c-1', contact = false) => {
      const client = contact ? { clientId, ...CONTACT } : { clientId };
      const response = await fetch(`${base}/v1/bookings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ serviceId: 'visit', proId, start, client }),
      });
      await response.arrayBuffer();
      return response.status;
    };

    const next = new Array<number>(PROS).fill(0);
    const take = (i: number) => ({ proId: `b${i % PROS}`, start: slot(next[i % PROS]!++) });

    for (let i = 0; i < 50; i++) await book(take(i).proId, take(i).start);
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const { proId, start } = take(i);
      const began = performance.now();
      const status = await book(proId, start);
      latencies.push(performance.now() - began);
      if (status !== 201) throw new Error(`sequential booking answered ${status}`);
    }
    latencies.sort((a, b) => a - b);

    let issued = 0;
    const throughput = async (contact: boolean) => {
      const until = issued + CONCURRENT_TOTAL;
      let created = 0;
      const began = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (issued < until) {
            const { proId, start } = take(issued++);
            if ((await book(proId, start, `c-${issued % 500}`, contact)) === 201) created++;
          }
        }),
      );
      return { perSecond: CONCURRENT_TOTAL / ((performance.now() - began) / 1_000), created };
    };
    // Alternated, so neither kind has the warmer machine: each figure is the mean of two rounds.
    const rounds = [false, true, true, false];
    const results: Array<{ contact: boolean; perSecond: number; created: number }> = [];
    for (const contact of rounds) results.push({ contact, ...(await throughput(contact)) });
    const mean = (contact: boolean) =>
      results.filter((r) => r.contact === contact).reduce((sum, r) => sum + r.perSecond, 0) / 2;
    const created = results.reduce((sum, r) => sum + r.created, 0);

    const contested = await Promise.all(
      Array.from({ length: 200 }, (_, i) => book('b0', slot(10_000), `c-${i}`)),
    );

    console.log(
      `confirmed booking over HTTP, one at a time (${SEQUENTIAL}): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms (budget p50 ≤ 25 ms)`,
    );
    console.log(
      `throughput across ${PROS} Pros, ${CONCURRENCY} concurrent clients: ${mean(false).toFixed(0)} bookings/s without contact details, ${mean(true).toFixed(0)} with them sealed (×${(mean(true) / mean(false)).toFixed(2)}; ${created}/${CONCURRENT_TOTAL * rounds.length} created; docs/design.md §8 plans 50,000 a day)`,
    );
    console.log(
      `200 concurrent attempts on one slot: ${contested.filter((s) => s === 201).length} × 201, ${contested.filter((s) => s === 409).length} × 409, other ${contested.filter((s) => s !== 201 && s !== 409).length}`,
    );
  } finally {
    await app.close();
    await ctx.cleanup();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
