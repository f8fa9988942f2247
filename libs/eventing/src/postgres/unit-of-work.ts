import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** One transaction seen two ways: TypeORM's for state tables, pg's for the event store. */
export interface UnitOfWork {
  manager: EntityManager;
  client: PoolClient;
}

/**
 * Runs `work` in one transaction on one connection: repositories taken from `manager` and events
 * appended with `client` (`EventStore.appendWith`) commit together or not at all.
 */
export async function withUnitOfWork<T>(
  dataSource: DataSource,
  work: (unit: UnitOfWork) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  try {
    const client = (await runner.connect()) as PoolClient;
    await runner.startTransaction();
    try {
      const result = await work({ manager: runner.manager, client });
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
