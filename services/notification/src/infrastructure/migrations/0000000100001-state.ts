import { SqlMigration } from '@cs/eventing';

export class NotificationState0000000100001 extends SqlMigration {
  readonly name = 'NotificationState0000000100001';
  override readonly legacyId = '0100-notification-001-outbox';
  protected readonly sql = `
      CREATE TABLE contacts (
        kind text NOT NULL,
        id text NOT NULL,
        name text NOT NULL,
        email text,
        phone text,
        locale text NOT NULL,
        time_zone text NOT NULL,
        reminder_offsets_minutes integer[],
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (kind, id)
      );

      -- What this service knows of each booking: events after the first do not repeat it all.
      CREATE TABLE bookings (
        booking_id text PRIMARY KEY,
        pro_id text NOT NULL,
        client_id text,
        client_time_zone text,
        client_locale text,
        service_id text NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        location jsonb,
        status text NOT NULL,
        -- The iCalendar SEQUENCE of the last invitation, raised on every change.
        sequence integer NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE pro_territories (pro_id text PRIMARY KEY, territory_id text NOT NULL);
      CREATE TABLE territory_reminders (territory_id text PRIMARY KEY, offsets_minutes integer[]);

      -- An alert is sent once per episode: the next one needs the situation to have cleared first.
      CREATE TABLE alert_episodes (
        alert_key text PRIMARY KEY,
        open boolean NOT NULL,
        episode integer NOT NULL
      );

      -- The durable schedule: one row per message to one person, claimed with a lease.
      CREATE TABLE notifications (
        notification_id text PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        channel text NOT NULL,
        booking_id text,
        pro_id text,
        recipient_kind text NOT NULL,
        recipient_id text NOT NULL,
        to_address text,
        status text NOT NULL,
        scheduled_for timestamptz NOT NULL,
        next_attempt_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until timestamptz,
        sent_at timestamptz,
        last_error text,
        content jsonb NOT NULL,
        -- The correlation and cause of the event that scheduled it, carried into what sending records.
        cause jsonb,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
      CREATE INDEX notifications_booking ON notifications (booking_id);
      CREATE INDEX notifications_pro ON notifications (pro_id);
    `;
}
