import { randomBytes } from 'node:crypto';
import { BusNaming, contexts, type Context } from '@cs/contracts';
import {
  backboneMigrations,
  dataSourceOptions,
  deleteStreams,
  ensureStreams,
  connectNats,
  openDataSource,
  poolOf,
  type AnyMigration,
  type ServiceDataSourceOptions,
} from '@cs/eventing';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { DATABASE_URL, NATS_URL } from './infrastructure';

export interface TestContext {
  /** Unique per test file: the database schema and the stream/subject prefix. */
  id: string;
  schema: string;
  prefix: string;
  databaseUrl: string;
  natsUrl: string;
  /** The DataSource's own pool, as a service has it. */
  pool: Pool;
  dataSource: DataSource;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  naming: BusNaming;
  /** Drops the schema and the streams: a test file leaves nothing behind. */
  cleanup(): Promise<void>;
}

export interface TestContextOptions {
  migrations?: readonly AnyMigration[];
  entities?: ServiceDataSourceOptions['entities'];
  streams?: readonly Context[];
  natsUrl?: string;
  /** Another PostgreSQL than the shared one (a private cluster that a test restarts). */
  databaseUrl?: string;
  /** Stream replicas: 3 on a private cluster (`startNatsCluster`), 1 otherwise. */
  replicas?: number;
}

/** A schema and a stream prefix of one's own on the real PostgreSQL and NATS, migrated and provisioned. */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const schema = id;
  const natsUrl = options.natsUrl ?? NATS_URL;
  const databaseUrl = options.databaseUrl ?? DATABASE_URL;
  const dataSource = await openDataSource(
    dataSourceOptions({
      databaseUrl,
      schema,
      max: 20,
      migrations: [...backboneMigrations, ...(options.migrations ?? [])],
      entities: options.entities,
    }),
  );
  const pool = poolOf(dataSource);
  const nc = await connectNats({ natsUrl, name: `test-${id}` });
  const jsm = await jetstreamManager(nc);
  const naming = new BusNaming(id);
  const streams = options.streams ?? contexts;
  await ensureStreams(jsm, naming, streams, {
    replicas: options.replicas ?? 1,
    duplicateWindowMs: 120_000,
  });
  return {
    id,
    schema,
    prefix: id,
    databaseUrl,
    natsUrl,
    pool,
    dataSource,
    nc,
    js: jetstream(nc),
    jsm,
    naming,
    async cleanup() {
      await deleteStreams(jsm, naming, streams).catch(() => undefined);
      await nc.drain().catch(() => undefined);
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await dataSource.destroy();
    },
  };
}
