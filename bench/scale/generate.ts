/**
 * Writes the scale data set (./dataset.ts) through each service's event store, then relays it to
 * JetStream, so projections, rebuilds and replays see it as they would see the services' own.
 * Run: npm run bench:data -- --pros 10000 [--seed 16]
 * Drops the `bench_scale_*` schemas and the `benchscale` streams first. Appends go in
 * transactions of many streams (`EventStore.appendWith`, one multi-row statement per stream);
 * the same rows inserted by plain multi-row INSERTs into copies of the tables are PostgreSQL's
 * floor, measured in the same run on the first Pros' rows.
 */
import { systemActor } from '@cs/contracts';
import { EventStore, newId, OutboxRelay, type NewEvent } from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { DATABASE_URL, ensureInfrastructure } from '../../libs/testing/src/infrastructure';
import { proEvents, TERRITORIES, territoryEvent, type ProEvents } from './dataset';
import { parseScaleArgs } from './scale-args';
import {
  connectBus,
  dropScaleData,
  openSchema,
  provisionStreams,
  SCALE_META_TABLE,
  SCALE_SCHEMAS,
} from './scale-env';

/** Pros per transaction: each transaction holds about 20,000 events of one service. */
const PROS_PER_TRANSACTION = 50;
/** Pros whose rows the floor inserts again. */
const FLOOR_PROS = 300;
const FLOOR_ROWS_PER_STATEMENT = 5_000;

type Recorded = 'availability' | 'booking' | 'sync';
const RECORDED: Recorded[] = ['availability', 'booking', 'sync'];

const rate = (events: number, ms: number) => Math.round((events / ms) * 1000);

async function main(): Promise<void> {
  const { pros, seed } = parseScaleArgs(process.argv.slice(2));
  await ensureInfrastructure();
  const admin = new Pool({ connectionString: DATABASE_URL, max: 2 });
  await dropScaleData(admin);
  await provisionStreams();
  const bus = await connectBus();
  const schemas = Object.fromEntries(
    await Promise.all(RECORDED.map(async (s) => [s, await openSchema(SCALE_SCHEMAS[s])] as const)),
  ) as Record<Recorded, Awaited<ReturnType<typeof openSchema>>>;
  const stores = Object.fromEntries(
    RECORDED.map((s) => [s, new EventStore(schemas[s].pool, bus.naming)]),
  ) as Record<Recorded, EventStore>;
  const context = () => ({
    correlationId: newId(),
    causationId: null,
    actor: systemActor('bench-data'),
  });
  try {
    const counts: Record<Recorded, number> = { availability: 0, booking: 0, sync: 0 };
    const started = performance.now();
    await stores.availability.transaction(async (client) => {
      for (let t = 0; t < TERRITORIES; t++)
        await stores.availability.appendWith(
          client,
          `territory-${territoryIdFor(t)}`,
          [territoryEvent(t)],
          {
            expectedVersion: 'no_stream',
            context: context(),
          },
        );
    });
    counts.availability += TERRITORIES;
    // Two transactions in flight: one builds and validates its events while PostgreSQL stores the other.
    const chunks = Array.from({ length: Math.ceil(pros / PROS_PER_TRANSACTION) }, (_, i) => i);
    let lastReport = performance.now();
    const worker = async () => {
      for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
        const first = chunk * PROS_PER_TRANSACTION;
        const batch: ProEvents[] = [];
        for (let p = first; p < Math.min(pros, first + PROS_PER_TRANSACTION); p++)
          batch.push(proEvents(seed, p));
        for (const service of RECORDED)
          await stores[service].transaction(async (client) => {
            for (const pro of batch) {
              const { streamId, events } = pro[service];
              await stores[service].appendWith(client, streamId, events, {
                expectedVersion: 'no_stream',
                context: context(),
              });
              counts[service] += events.length;
            }
          });
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          const done = counts.availability + counts.booking + counts.sync;
          console.log(
            `  … ${done.toLocaleString('en')} events, ${rate(done, lastReport - started).toLocaleString('en')} events/s`,
          );
        }
      }
    };
    await Promise.all([worker(), worker()]);
    const writtenMs = performance.now() - started;
    const total = counts.availability + counts.booking + counts.sync;

    const floor = await insertFloor(schemas.sync.pool, seed, Math.min(pros, FLOOR_PROS));

    const relayStarted = performance.now();
    const published = await Promise.all(
      RECORDED.map((s) =>
        new OutboxRelay(schemas[s].pool, bus.js, {
          lockName: SCALE_SCHEMAS[s],
          batchSize: 20_000,
        }).publishPending(),
      ),
    );
    const relayMs = performance.now() - relayStarted;
    const relayed = published.reduce((a, b) => a + b, 0);

    await admin.query(
      `CREATE TABLE ${SCALE_META_TABLE} AS SELECT $1::int AS pros, $2::int AS seed, $3::bigint AS events`,
      [pros, seed, total],
    );
    const appended = rate(total, writtenMs);
    console.log(
      `scale data set, ${pros.toLocaleString('en')} Pros (seed ${seed}): ${total.toLocaleString('en')} events ` +
        `(availability ${counts.availability.toLocaleString('en')}, booking ${counts.booking.toLocaleString('en')}, sync ${counts.sync.toLocaleString('en')})`,
    );
    console.log(
      `appended through the event store: ${appended.toLocaleString('en')} events/s (${(writtenMs / 1000).toFixed(1)} s); ` +
        `floor, the same rows by plain multi-row INSERT: ${floor.toLocaleString('en')} events/s (×${(appended / floor).toFixed(2)} of the floor)`,
    );
    console.log(
      `relayed to JetStream: ${relayed.toLocaleString('en')} events, ${rate(relayed, relayMs).toLocaleString('en')} events/s (${(relayMs / 1000).toFixed(1)} s)`,
    );
  } finally {
    await bus.nc.drain();
    for (const s of RECORDED) await schemas[s].dataSource.destroy();
    await admin.end();
  }
}

function territoryIdFor(t: number): string {
  return (territoryEvent(t).data as { territoryId: string }).territoryId;
}

/**
 * The same events and outbox rows as the store writes for the first `floorPros` Pros, inserted
 * into copies of its tables (same indexes) by plain multi-row INSERTs: no validation, no
 * version check, no JSON built per row in SQL.
 */
async function insertFloor(pool: Pool, seed: number, floorPros: number): Promise<number> {
  const rows: Array<[string, string, number, string, string, string]> = [];
  for (let p = 0; p < floorPros; p++) {
    const pro = proEvents(seed, p);
    for (const service of RECORDED)
      pro[service].events.forEach((event: NewEvent, i) =>
        rows.push([
          newId(),
          pro[service].streamId,
          i + 1,
          event.type,
          JSON.stringify(event.data),
          new Date().toISOString(),
        ]),
      );
  }
  const client: PoolClient = await pool.connect();
  try {
    await client.query(`CREATE TABLE floor_events (LIKE events INCLUDING ALL)`);
    await client.query(`CREATE TABLE floor_outbox (LIKE outbox INCLUDING ALL)`);
    const started = performance.now();
    for (let at = 0; at < rows.length; at += 4 * FLOOR_ROWS_PER_STATEMENT) {
      await client.query('BEGIN');
      for (
        let s = at;
        s < Math.min(rows.length, at + 4 * FLOOR_ROWS_PER_STATEMENT);
        s += FLOOR_ROWS_PER_STATEMENT
      ) {
        const part = rows.slice(s, s + FLOOR_ROWS_PER_STATEMENT);
        const column = (k: number) => part.map((r) => r[k]);
        await client.query(
          `INSERT INTO floor_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at)
           SELECT e, s, v, t, 1, d, '{}', r, r FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS u(e, s, v, t, d, r)`,
          [column(0), column(1), column(2), column(3), column(4), column(5)],
        );
        await client.query(
          `INSERT INTO floor_outbox (event_id, subject, payload) SELECT e, t, d FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(e, t, d)`,
          [column(0), column(3), column(4)],
        );
      }
      await client.query('COMMIT');
    }
    return rate(rows.length, performance.now() - started);
  } finally {
    await client.query('DROP TABLE IF EXISTS floor_events, floor_outbox');
    client.release();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
