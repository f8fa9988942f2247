import type { Pool } from 'pg';
import { assertSchemaName, withTransaction } from './pool';

export interface Migration {
  /** Sorted by id and applied once, in order; never edit one that has shipped. */
  id: string;
  sql: string;
}

/** Applies pending migrations inside the pool's schema; an advisory lock lets several instances start at once. */
export async function runMigrations(
  pool: Pool,
  schema: string,
  migrations: readonly Migration[],
): Promise<string[]> {
  assertSchemaName(schema);
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error('duplicate migration id');
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((r) => r.id));
    const pending = [...migrations]
      .sort((a, b) => a.id.localeCompare(b.id))
      .filter((m) => !applied.has(m.id));
    for (const migration of pending) {
      await client.query(`SET LOCAL search_path = ${schema}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [
        migration.id,
      ]);
    }
    return pending.map((m) => m.id);
  });
}
