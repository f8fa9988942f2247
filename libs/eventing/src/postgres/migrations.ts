import type { Pool } from 'pg';
import { assertSchemaName, withTransaction } from './pool';
import { SqlMigration, type MigrationClass } from './sql-migration';

export interface Migration {
  /** Sorted by id and applied once, in order; never edit one that has shipped. */
  id: string;
  sql: string;
}

/**
 * The runner services used before TypeORM (docs/adr/0011); only a schema that is no service's
 * own still uses it. Applies pending migrations inside the pool's schema under an advisory lock.
 */
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

const LEGACY_ID = /^(\d{4})-[a-z-]+?-(\d{3})-([a-z0-9-]+)$/;

/** TypeORM's name for an `{ id, sql }` migration: `0100-booking-001-bookings` → `BookingBookings…0100001`. */
export function migrationName(id: string): string {
  const match = LEGACY_ID.exec(id);
  if (!match) throw new Error(`migration id "${id}" is not GGGG-name-NNN-what`);
  const [, group, sequence, what] = match;
  const words = id
    .slice(5, id.indexOf(`-${sequence}-`))
    .split('-')
    .concat(what!.split('-'));
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  const timestamp = Number(group) * 1_000 + Number(sequence);
  return `${pascal}${String(timestamp).padStart(13, '0')}`;
}

/** Runs `{ id, sql }` migrations (the event store's own) through the same TypeORM runner. */
export function sqlMigrations(migrations: readonly Migration[]): MigrationClass[] {
  return migrations.map(
    ({ id, sql }) =>
      class extends SqlMigration {
        readonly name = migrationName(id);
        override readonly legacyId = id;
        protected readonly sql = sql;
      },
  );
}

/** What a service lists: TypeORM migration classes, or the old `{ id, sql }` form not yet moved. */
export type AnyMigration = MigrationClass | Migration;

export function migrationClasses(migrations: readonly AnyMigration[]): MigrationClass[] {
  return migrations.flatMap((m) => (typeof m === 'function' ? [m] : sqlMigrations([m])));
}
