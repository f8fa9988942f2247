import { type DataSource, MigrationExecutor } from 'typeorm';
import { assertSchemaName } from './pool';

/**
 * Runs the DataSource's pending migrations in its schema, all in one transaction. A session
 * advisory lock (the key the old runner used) lets N instances start at once: the first migrates,
 * the others wait and then find nothing left to do.
 */
export async function migrateSchema(dataSource: DataSource, schema: string): Promise<string[]> {
  assertSchemaName(schema);
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}
