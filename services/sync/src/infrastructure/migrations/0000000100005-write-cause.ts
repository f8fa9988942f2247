import { SqlMigration } from '@cs/eventing';

export class SyncWriteCause0000000100005 extends SqlMigration {
  readonly name = 'SyncWriteCause0000000100005';
  override readonly legacyId = '0100-sync-005-write-cause';
  protected readonly sql = `
      -- The booking event a queued write carries out: its mirror event is caused by it.
      ALTER TABLE pending_writes ADD COLUMN cause jsonb;
    `;
}
