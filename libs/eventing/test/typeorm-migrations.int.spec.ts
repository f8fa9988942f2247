import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  backboneMigrations,
  createPool,
  dataSourceOptions,
  migrateSchema,
  openDataSource,
  runMigrations,
  SqlMigration,
  type AnyMigration,
} from '@cs/eventing';
import { DATABASE_URL } from '@cs/testing';
import { DataSource } from 'typeorm';

class AddNotes0000000900001 extends SqlMigration {
  readonly name = 'AddNotes0000000900001';
  protected readonly sql = 'CREATE TABLE notes (id text PRIMARY KEY)';
}

const schemas: string[] = [];
const newSchema = () => {
  const schema = `m${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  schemas.push(schema);
  return schema;
};
const options = (schema: string, migrations: readonly AnyMigration[]) =>
  dataSourceOptions({ databaseUrl: DATABASE_URL, schema, max: 2, migrations });

const admin = createPool({ databaseUrl: DATABASE_URL, schema: 'public', max: 2 });
afterAll(async () => {
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function recorded(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ name: string }>(
    `SELECT name FROM ${schema}.typeorm_migrations ORDER BY timestamp`,
  );
  return rows.map((r) => r.name);
}

describe('TypeORM migrations of a service schema', () => {
  it('lets several DataSources migrate one empty schema at once: each migration runs once', async () => {
    const schema = newSchema();
    const migrations = [...backboneMigrations, AddNotes0000000900001];
    const sources = await Promise.all(
      Array.from({ length: 4 }, () => openDataSource(options(schema, migrations))),
    );
    try {
      const names = await recorded(schema);
      expect(names).toHaveLength(migrations.length);
      expect(new Set(names).size).toBe(names.length);
      expect(names.at(-1)).toBe('AddNotes0000000900001');
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.notes`);
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });

  it('upgrades a schema the old runner migrated without running anything twice', async () => {
    const schema = newSchema();
    const legacy = createPool({ databaseUrl: DATABASE_URL, schema, max: 2 });
    try {
      await runMigrations(legacy, schema, backboneMigrations);
      await legacy.query(`INSERT INTO consumer_skips (consumer, stream_id, stream_version, reason, skipped_by)
        VALUES ('c', 's', 1, 'kept', 'test')`);
    } finally {
      await legacy.end();
    }
    const dataSource = await new DataSource(
      options(schema, [...backboneMigrations, AddNotes0000000900001]),
    ).initialize();
    try {
      const applied = await migrateSchema(dataSource, schema);
      // The old runner's ones are recorded as they are (their SQL would fail a second time).
      expect(applied).toHaveLength(backboneMigrations.length + 1);
      expect(await migrateSchema(dataSource, schema)).toEqual([]);
      const { rows } = await admin.query(`SELECT reason FROM ${schema}.consumer_skips`);
      expect(rows).toEqual([{ reason: 'kept' }]);
      expect(await recorded(schema)).toContain('AddNotes0000000900001');
    } finally {
      await dataSource.destroy();
    }
  });
});
