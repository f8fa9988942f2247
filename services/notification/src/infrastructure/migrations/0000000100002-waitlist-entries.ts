import { SqlMigration } from '@cs/eventing';

export class NotificationWaitlistEntries0000000100002 extends SqlMigration {
  readonly name = 'NotificationWaitlistEntries0000000100002';
  override readonly legacyId = '0100-notification-002-waitlist-entries';
  protected readonly sql = `
      -- Who waits on each waitlist entry: an offer names only the entry.
      CREATE TABLE waitlist_entries (
        entry_id text PRIMARY KEY,
        client_id text NOT NULL
      );
    `;
}
