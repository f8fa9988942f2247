import { SqlMigration } from '@cs/eventing';

export class NotificationOpenByRecipient0000000100003 extends SqlMigration {
  readonly name = 'NotificationOpenByRecipient0000000100003';
  override readonly legacyId = '0100-notification-003-open-by-recipient';
  protected readonly sql = `
      -- A claim looks for a recipient's older or in-flight messages among the open ones.
      CREATE INDEX notifications_open_by_recipient
        ON notifications (recipient_kind, recipient_id, created_at)
        WHERE next_attempt_at IS NOT NULL;
    `;
}
