import { SqlMigration } from '@cs/eventing';

export class SyncEventProblems0000000100007 extends SqlMigration {
  readonly name = 'SyncEventProblems0000000100007';
  override readonly legacyId = '0100-sync-007-event-problems';
  protected readonly sql = `
      -- What each item's last read could not make out, and the calendar's set as last reported.
      ALTER TABLE sync_items ADD COLUMN problems jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE sync_calendars ADD COLUMN problems jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN problem_count integer NOT NULL DEFAULT 0;
    `;
}
