import { BusNaming, contexts } from '@cs/contracts';
import {
  backboneMigrations,
  connectNats,
  dataSourceOptions,
  deleteStreams,
  ensureStreams,
  openDataSource,
  poolOf,
} from '@cs/eventing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { DATABASE_URL, NATS_URL } from '../../libs/testing/src/infrastructure';

/**
 * The scale data set's own place: one schema per service that records events, all named
 * `bench_scale_*`, and one bus prefix. Nothing else on the shared machine is touched.
 */
export const SCALE_PREFIX = 'benchscale';
export const SCALE_SCHEMAS = {
  availability: 'bench_scale_availability',
  booking: 'bench_scale_booking',
  sync: 'bench_scale_sync',
  connector: 'bench_scale_connector',
} as const;
export type ScaleService = keyof typeof SCALE_SCHEMAS;
/** Where `bench:data` notes what it wrote, so `bench:scale` knows the size. */
export const SCALE_META_TABLE = `${SCALE_SCHEMAS.availability}.bench_scale_meta`;

export async function connectBus() {
  const nc = await connectNats({ natsUrl: NATS_URL, name: 'bench-scale' });
  const naming = new BusNaming(SCALE_PREFIX);
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc), naming };
}

/** Drops every `bench_scale_*` schema and the prefix's streams: a new run starts from nothing. */
export async function dropScaleData(pool: Pool): Promise<void> {
  for (const schema of Object.values(SCALE_SCHEMAS))
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const bus = await connectBus();
  try {
    await deleteStreams(bus.jsm, bus.naming, contexts).catch(() => undefined);
  } finally {
    await bus.nc.drain();
  }
}

export async function provisionStreams(): Promise<void> {
  const bus = await connectBus();
  try {
    await ensureStreams(bus.jsm, bus.naming, contexts, { replicas: 1, duplicateWindowMs: 120_000 });
  } finally {
    await bus.nc.drain();
  }
}

/** A schema with the event store's tables, as the service's own migrations would start it. */
export async function openSchema(
  schema: string,
  max = 4,
): Promise<{ dataSource: DataSource; pool: Pool }> {
  const dataSource = await openDataSource(
    dataSourceOptions({
      databaseUrl: DATABASE_URL,
      schema,
      max,
      migrations: [...backboneMigrations],
    }),
  );
  return { dataSource, pool: poolOf(dataSource) };
}
