import { SqlMigration } from '@cs/eventing';

export class SyncRequestedCause0000000100004 extends SqlMigration {
  readonly name = 'SyncRequestedCause0000000100004';
  override readonly legacyId = '0100-sync-004-requested-cause';
  protected readonly sql = `
      -- Why the next run was asked for (manual, push, connected); null: the poll or a retry.
      ALTER TABLE sync_calendars ADD COLUMN requested_cause text;
    `;
}
