import { SqlMigration } from '@cs/eventing';

export class ConnectorPushNotificationUrl0000000100004 extends SqlMigration {
  readonly name = 'ConnectorPushNotificationUrl0000000100004';
  override readonly legacyId = '0100-connector-004-push-notification-url';
  protected readonly sql = `
      -- Where the provider was told to send notifications: a channel whose address is no
      -- longer ours (PUBLIC_WEBHOOK_URL changed) is replaced.
      ALTER TABLE push_subscriptions ADD COLUMN notification_url text;
    `;
}
