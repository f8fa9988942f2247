import { SqlMigration } from '@cs/eventing';

export class SyncEditPolicy0000000100003 extends SqlMigration {
  readonly name = 'SyncEditPolicy0000000100003';
  override readonly legacyId = '0100-sync-003-edit-policy';
  protected readonly sql = `
      CREATE TABLE sync_policies (
        pro_id text PRIMARY KEY,
        mirrored_edits text NOT NULL
      );
      ALTER TABLE sync_conflicts ADD COLUMN policy text NOT NULL DEFAULT 'platform_wins';
    `;
}
