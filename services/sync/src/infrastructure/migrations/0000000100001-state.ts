import { SqlMigration } from '@cs/eventing';

export class SyncState0000000100001 extends SqlMigration {
  readonly name = 'SyncState0000000100001';
  override readonly legacyId = '0100-sync-001-state';
  protected readonly sql = `
      CREATE TABLE sync_connections (
        connection_id text PRIMARY KEY,
        pro_id text NOT NULL,
        provider text NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        removed boolean NOT NULL DEFAULT false
      );
      CREATE TABLE sync_calendars (
        calendar_id text PRIMARY KEY,
        connection_id text NOT NULL REFERENCES sync_connections,
        pro_id text NOT NULL,
        name text NOT NULL,
        busy_source boolean NOT NULL,
        write_target boolean NOT NULL,
        all_day_blocks boolean NOT NULL,
        state text NOT NULL DEFAULT 'ok',
        failures integer NOT NULL DEFAULT 0,
        auth_failures integer NOT NULL DEFAULT 0,
        cursor text,
        full_requested boolean NOT NULL DEFAULT false,
        last_synced_at timestamptz,
        last_error text,
        next_sync_at timestamptz NOT NULL DEFAULT now(),
        -- Raised by every applied run: a run planned against an older revision is not applied.
        revision integer NOT NULL DEFAULT 0,
        removed boolean NOT NULL DEFAULT false
      );
      CREATE INDEX sync_calendars_due ON sync_calendars (next_sync_at) WHERE NOT removed;
      CREATE TABLE sync_items (
        calendar_id text NOT NULL,
        href text NOT NULL,
        uid text,
        etag text,
        instances jsonb NOT NULL,
        PRIMARY KEY (calendar_id, href)
      );
      CREATE TABLE sync_bookings (
        booking_id text PRIMARY KEY,
        pro_id text NOT NULL,
        uid text NOT NULL UNIQUE,
        service_id text NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        sequence integer NOT NULL,
        active boolean NOT NULL,
        calendar_id text,
        connection_id text,
        href text,
        etag text
      );
      CREATE TABLE pending_writes (
        booking_id text PRIMARY KEY,
        -- Raised whenever the booking changes again, so a write that was already under way
        -- does not take the newer change off the queue.
        generation integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        restore boolean NOT NULL DEFAULT false
      );
      CREATE TABLE sync_conflicts (
        conflict_id text PRIMARY KEY,
        booking_id text NOT NULL,
        pro_id text NOT NULL,
        connection_id text NOT NULL,
        calendar_id text NOT NULL,
        event_uid text NOT NULL,
        kind text NOT NULL,
        theirs jsonb,
        status text NOT NULL,
        keep text,
        detected_at timestamptz NOT NULL,
        resolved_at timestamptz
      );
      CREATE INDEX sync_conflicts_connection ON sync_conflicts (connection_id, detected_at);
    `;
}
