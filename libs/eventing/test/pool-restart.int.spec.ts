import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createPool,
  dataSourceOptions,
  isConnectionError,
  openDataSource,
  poolOf,
  withTransaction,
  withUnitOfWork,
} from '@cs/eventing';
import { type PostgresServerHandle, startPostgresServer } from '@cs/testing';

// Its own cluster: this file stops PostgreSQL under a running query.
let postgres: PostgresServerHandle;

beforeAll(async () => {
  postgres = await startPostgresServer();
});
afterAll(() => postgres?.dispose());

describe('a pool whose PostgreSQL restarts', () => {
  it('fails the work in progress as a connection error, without crashing the process, and serves again', async () => {
    const pool = createPool({ databaseUrl: postgres.url, schema: 'public', max: 2 });
    try {
      // pg emits 'error' on a checked-out client after failing its query; unheard, that event
      // would end the process (Jest reports it as an unhandled error).
      const inFlight = withTransaction(pool, (tx) => tx.query('SELECT pg_sleep(30)'));
      const failed = inFlight.then(
        () => null,
        (error: unknown) => error,
      );
      await new Promise((r) => setTimeout(r, 300));
      await postgres.restart('immediate');
      expect(isConnectionError(await failed)).toBe(true);
      const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('does the same for a service DataSource, whose pool the event store shares', async () => {
    const dataSource = await openDataSource(
      dataSourceOptions({ databaseUrl: postgres.url, schema: 'restarting', max: 2 }),
    );
    try {
      const failed = withUnitOfWork(dataSource, ({ client }) =>
        client.query('SELECT pg_sleep(30)'),
      ).then(
        () => null,
        (error: unknown) => error,
      );
      await new Promise((r) => setTimeout(r, 300));
      await postgres.restart('immediate');
      expect(isConnectionError(await failed)).toBe(true);
      const { rows } = await poolOf(dataSource).query<{ ok: number }>('SELECT 1 AS ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
