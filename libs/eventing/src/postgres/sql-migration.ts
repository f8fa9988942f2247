import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration written as SQL, run by TypeORM's migration runner. Its `name` ends in the 13-digit
 * timestamp TypeORM orders by. `legacyId` names the same change in the `schema_migrations` table
 * of the runner it replaced: a schema that runner already migrated records it without running it.
 */
export abstract class SqlMigration implements MigrationInterface {
  abstract readonly name: string;
  readonly legacyId?: string;
  protected abstract readonly sql: string;

  async up(runner: QueryRunner): Promise<void> {
    if (this.legacyId && (await appliedByLegacyRunner(runner, this.legacyId))) return;
    await runner.query(this.sql);
  }

  /** Forward only, as before: a shipped migration is undone by a new one. */
  async down(): Promise<void> {
    throw new Error(`${this.name} cannot be undone; write a new migration`);
  }
}

async function appliedByLegacyRunner(runner: QueryRunner, id: string): Promise<boolean> {
  const [legacy] = (await runner.query(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  )) as { present: boolean }[];
  if (!legacy?.present) return false;
  const found: unknown[] = await runner.query('SELECT 1 FROM schema_migrations WHERE id = $1', [
    id,
  ]);
  return found.length > 0;
}

export type MigrationClass = new () => SqlMigration;
