import { SqlMigration } from '@cs/eventing';

export class NotificationClientContact0000000100004 extends SqlMigration {
  readonly name = 'NotificationClientContact0000000100004';
  override readonly legacyId = '0100-notification-004-client-contact';
  protected readonly sql = `
      -- How the booking said to reach its client, sealed under the client's key as the event carried it.
      ALTER TABLE bookings ADD COLUMN client_contact jsonb;
    `;
}
