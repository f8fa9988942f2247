import type { Migration } from '../postgres/migrations';

/** The event store, outbox and consumer bookkeeping every service shares (in its own schema). */
export const eventingMigrations: Migration[] = [
  {
    id: '0000-eventing-001-event-store',
    sql: `
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version > 0),
        type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        UNIQUE (stream_id, stream_version)
      );
      CREATE TABLE outbox (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL,
        subject text NOT NULL,
        payload text NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()
      );
      CREATE TABLE consumer_positions (
        consumer text NOT NULL,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        stream_seq bigint NOT NULL,
        PRIMARY KEY (consumer, stream_id)
      );
      CREATE TABLE projection_versions (
        projection text PRIMARY KEY,
        version integer NOT NULL,
        rebuilt_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    id: '0000-eventing-002-consumer-skips',
    sql: `
      CREATE TABLE consumer_skips (
        consumer text NOT NULL,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        reason text NOT NULL,
        skipped_by text NOT NULL,
        skipped_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, stream_id, stream_version)
      );
    `,
  },
  {
    id: '0000-eventing-003-projection-generations',
    sql: `
      CREATE TABLE projection_generations (
        projection text NOT NULL,
        generation integer NOT NULL,
        version integer NOT NULL,
        state text NOT NULL CHECK (state IN ('building', 'active', 'retiring')),
        tables text[] NOT NULL,
        streams text[] NOT NULL,
        replayed_until jsonb NOT NULL DEFAULT '{}',
        since timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, generation)
      );
      CREATE UNIQUE INDEX ON projection_generations (projection) WHERE state = 'active';
      CREATE UNIQUE INDEX ON projection_generations (projection) WHERE state = 'building';
      CREATE TABLE projection_leases (
        projection text NOT NULL,
        generation integer NOT NULL,
        instance uuid NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, generation, instance)
      );
    `,
  },
];
