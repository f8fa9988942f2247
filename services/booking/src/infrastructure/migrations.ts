import { type Migration } from '@cs/eventing';

/**
 * The write side's own tables, changed in the same transaction as the events: the bookings as
 * the API shows them, the time each active booking reserves (a PostgreSQL exclusion constraint,
 * the last guard against double-booking) and the idempotency keys.
 */
export const bookingMigrations: Migration[] = [
  {
    id: '0100-booking-001-bookings',
    sql: `
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
    `,
  },
  {
    id: '0100-booking-002-waitlist',
    sql: `
      -- Each entry as its stream has it, with its place in line and the offers it had.
      CREATE TABLE waitlist_entries (
        entry_id text PRIMARY KEY,
        line bigint GENERATED ALWAYS AS IDENTITY,
        status text NOT NULL,
        service_id text NOT NULL,
        pro_id text,
        territory_id text,
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL,
        client_id text NOT NULL,
        details jsonb NOT NULL,
        offers jsonb NOT NULL,
        open_offer_expires_at timestamptz,
        booking_id text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX waitlist_entries_in_line ON waitlist_entries (service_id, line) WHERE status = 'waiting';
      CREATE INDEX waitlist_entries_due_offers ON waitlist_entries (open_offer_expires_at)
        WHERE open_offer_expires_at IS NOT NULL;
    `,
  },
  {
    id: '0100-booking-003-feeds',
    sql: `
      -- Secret iCalendar feeds of a Pro's bookings: only a hash of each token is kept.
      CREATE TABLE pro_feeds (
        feed_id text PRIMARY KEY,
        pro_id text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX pro_feeds_by_pro ON pro_feeds (pro_id);
    `,
  },
];
