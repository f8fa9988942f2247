import { SqlMigration } from '@cs/eventing';

export class SyncLimits0000000100002 extends SqlMigration {
  readonly name = 'SyncLimits0000000100002';
  override readonly legacyId = '0100-sync-002-limits';
  protected readonly sql = `
      -- Token buckets shared by every sync worker: 'account:<connectionId>', 'provider:<name>'.
      CREATE TABLE sync_rate_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at double precision NOT NULL
      );
      CREATE TABLE sync_breakers (
        provider text PRIMARY KEY,
        state jsonb NOT NULL
      );
    `;
}
