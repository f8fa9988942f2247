import {
  EventStore,
  OutboxRelay,
  ProjectionRunner,
  defineProjection,
  type NewEvent,
} from '@cs/eventing';
// The Jest-free part of the test helpers: a schema and stream prefix of the bench's own.
import { ensureInfrastructure } from '../libs/testing/src/infrastructure';
import { createTestContext } from '../libs/testing/src/test-context';

/**
 * Throughput of the backbone on this machine, against the real PostgreSQL and NATS:
 * appends (one event per transaction, and batches), the outbox relay, and a projection rebuild.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const PROS = 200;

const absence = (proId: string, n: number): NewEvent => ({
  type: 'pro.absence_added',
  data: {
    proId,
    absenceId: `a-${n}`,
    start: new Date(Date.UTC(2027, 0, 1) + n * 3_600_000).toISOString(),
    end: new Date(Date.UTC(2027, 0, 1) + (n + 1) * 3_600_000).toISOString(),
    reason: 'bench',
  },
});

const absences = defineProjection({
  name: 'bench_absences',
  version: 1,
  streams: ['availability'],
  tables: {
    absences: (t) =>
      `CREATE TABLE ${t} (pro_id text NOT NULL, absence_id text NOT NULL, starts timestamptz NOT NULL, ends timestamptz NOT NULL, PRIMARY KEY (pro_id, absence_id))`,
  },
  async apply(events, tx, tables) {
    const rows = events.map(
      (e) => e.envelope.data as { proId: string; absenceId: string; start: string; end: string },
    );
    await tx.query(
      `INSERT INTO ${tables.absences} SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
       ON CONFLICT (pro_id, absence_id) DO UPDATE SET starts = excluded.starts, ends = excluded.ends`,
      [
        rows.map((r) => r.proId),
        rows.map((r) => r.absenceId),
        rows.map((r) => r.start),
        rows.map((r) => r.end),
      ],
    );
  },
});

const rate = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString('en')} events/s`;

async function time<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function main() {
  await ensureInfrastructure();
  const ctx = await createTestContext({ streams: ['availability'] });
  try {
    const store = new EventStore(ctx.pool, ctx.naming);
    const single = Math.min(2_000, EVENTS);
    const [, singleMs] = await time(async () => {
      const workers = Array.from({ length: 8 }, async (_, w) => {
        for (let n = w; n < single; n += 8)
          await store.append(`single-${n % PROS}`, [absence(`single-${n % PROS}`, n)], {
            expectedVersion: 'any',
          });
      });
      await Promise.all(workers);
    });
    console.log(
      `append, one event per transaction (8 writers): ${rate(single, singleMs)} (${single} events)`,
    );

    const batch = 100;
    const [, batchMs] = await time(async () => {
      for (let n = 0; n < EVENTS; n += batch) {
        const pro = `pro-${(n / batch) % PROS}`;
        const events = Array.from({ length: batch }, (_, i) => absence(pro, n + i));
        await store.append(pro, events, { expectedVersion: 'any' });
      }
    });
    console.log(
      `append, ${batch} events per transaction: ${rate(EVENTS, batchMs)} (${EVENTS} events)`,
    );

    const total = single + EVENTS;
    const relay = new OutboxRelay(ctx.pool, ctx.js, { lockName: ctx.schema, batchSize: 1000 });
    const [published, relayMs] = await time(() => relay.publishPending());
    console.log(`outbox relay to JetStream: ${rate(published, relayMs)} (${published} events)`);

    const runtime = { pool: ctx.pool, js: ctx.js, jsm: ctx.jsm, naming: ctx.naming };
    const projection = new ProjectionRunner(absences, runtime);
    await projection.start();
    await projection.stop();
    const report = await projection.rebuild();
    console.log(
      `projection rebuild from sequence 1: ${Math.round(report.eventsPerSecond).toLocaleString('en')} events/s (${report.events} events in ${report.seconds.toFixed(2)} s)`,
    );
    if (report.events !== total)
      throw new Error(`rebuild applied ${report.events} of ${total} events`);
  } finally {
    await ctx.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
