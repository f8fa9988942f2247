import { SqlMigration } from '@cs/eventing';

export class BookingBookings0000000100001 extends SqlMigration {
  readonly name = 'BookingBookings0000000100001';
  override readonly legacyId = '0100-booking-001-bookings';
  protected readonly sql = `
      -- The extension is database-wide: install it once, in public, whatever schema migrates first.
      SELECT pg_advisory_xact_lock(hashtext('cs:btree_gist'));
      CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

      CREATE TABLE bookings (
        booking_id text PRIMARY KEY,
        status text NOT NULL,
        pro_ids text[] NOT NULL,
        client_id text NOT NULL,
        service_id text NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        hold_expires_at timestamptz,
        priority text NOT NULL,
        series_id text,
        package_id text,
        details jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX bookings_by_pro ON bookings USING gin (pro_ids);
      CREATE INDEX bookings_by_client ON bookings (client_id, start_at);
      CREATE INDEX bookings_by_start ON bookings (start_at);
      CREATE INDEX bookings_due_holds ON bookings (hold_expires_at) WHERE status = 'held';

      -- Each range carries half of each buffer: two bookings that keep the gap rule never
      -- overlap here, and two that overlap in time always do.
      CREATE TABLE booking_slots (
        booking_id text NOT NULL,
        pro_id text NOT NULL,
        reserved tstzrange NOT NULL,
        PRIMARY KEY (booking_id, pro_id),
        CONSTRAINT booking_slots_no_overlap EXCLUDE USING gist (pro_id WITH =, reserved WITH &&)
      );

      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
    `;
}
