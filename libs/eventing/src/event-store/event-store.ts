import type { Envelope, EventRegistry } from '@cs/contracts';
import { type BusNaming, eventRegistry, systemActor } from '@cs/contracts';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { type Clock, newId, systemClock } from '../clock';
import { currentContext, type ExecutionContext } from '../context/execution-context';
import { withTransaction } from '../postgres/pool';
import { traceContextOf } from '../tracing/trace-context';
import { ConcurrencyError, type ExpectedVersion } from './errors';
import { envelopeFromRow, type EventRow } from './event-row';

export interface NewEvent {
  type: string;
  data: unknown;
  /** When it happened in the world, if that differs from when it was recorded. */
  occurredAt?: Date;
}

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Defaults to the context of the request or message being handled. */
  context?: ExecutionContext;
}

export interface AppendResult {
  nextVersion: number;
  events: Envelope[];
}

/** A stored event as a fold needs it: upcast to the current version of its schema. */
export interface StreamEvent {
  type: string;
  data: unknown;
  streamVersion: number;
}

export interface ReadStreamOptions {
  /** Only the events after this version (a fold remembered up to it). */
  afterVersion?: number;
  /** Take the stream's transaction-scoped advisory lock first. */
  lock?: boolean;
}

interface StreamRow {
  type: string;
  schema_version: number;
  data: unknown;
  stream_version: number;
}

export interface StoredEvent {
  position: number;
  envelope: Envelope;
}

export const OUTBOX_CHANNEL = 'cs_outbox';

const UNIQUE_VIOLATION = '23505';

/**
 * One round trip: check the expected version, write the events and their outbox rows, wake
 * the relay. A concurrent writer of the same version makes the unique index refuse it.
 */
const APPEND = `
  WITH cur AS (
    SELECT coalesce(max(stream_version), 0)::int AS v FROM events WHERE stream_id = $1
  ), ok AS (
    SELECT v FROM cur WHERE $2::int IS NULL OR v = $2::int
  ), draft AS (
    SELECT * FROM unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[],
                         $8::timestamptz[], $9::timestamptz[], $10::text[], $11::jsonb[])
      WITH ORDINALITY AS d(event_id, type, schema_version, data, metadata, occurred_at, recorded_at, subject, envelope, n)
  ), stored AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at)
    SELECT draft.event_id, $1, ok.v + draft.n, draft.type, draft.schema_version, draft.data, draft.metadata,
           draft.occurred_at, draft.recorded_at
      FROM draft CROSS JOIN ok ORDER BY draft.n
    RETURNING event_id, stream_version
  ), queued AS (
    INSERT INTO outbox (event_id, subject, payload)
    SELECT stored.event_id, draft.subject,
           (draft.envelope || jsonb_build_object('streamVersion', stored.stream_version))::text
      FROM stored JOIN draft ON draft.event_id = stored.event_id ORDER BY stored.stream_version
    RETURNING 1
  )
  SELECT (SELECT v FROM cur) AS current,
         (SELECT count(*) FROM queued) AS inserted,
         (SELECT count(*) FROM (SELECT pg_notify($12, left($1, 200)) FROM stored LIMIT 1) n) AS notified`;

/**
 * The service's system of record. An append writes the events and their outbox rows in one
 * transaction, so a crash never leaves an event unpublished or published without being stored.
 */
export class EventStore {
  constructor(
    private readonly pool: Pool,
    private readonly naming: BusNaming,
    private readonly registry: EventRegistry = eventRegistry,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTransaction(this.pool, (client) =>
          this.appendWith(client, streamId, events, options),
        );
      } catch (error) {
        // 'any' promises no version, so losing a race to another writer is not the caller's conflict.
        if (
          !(error instanceof ConcurrencyError) ||
          options.expectedVersion !== 'any' ||
          attempt >= 5
        )
          throw error;
      }
    }
  }

  /** One transaction on the store's database, for work that commits together with its events. */
  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, work);
  }

  /** Appends inside the caller's transaction, for work that must commit together with the events. */
  async appendWith(
    client: PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const { expectedVersion } = options;
    const context = options.context ??
      currentContext() ?? {
        correlationId: newId(),
        causationId: null,
        actor: systemActor('unknown'),
      };
    const recordedAt = this.clock.now().toISOString();
    // The span recording the events, so the work they cause elsewhere joins its trace.
    const trace = traceContextOf();
    // Versions are filled in by the database, which alone knows where the stream is.
    const drafts = events.map((event) => ({
      id: newId(),
      type: event.type,
      schemaVersion: this.registry.definition(event.type).schemaVersion,
      streamId,
      occurredAt: event.occurredAt?.toISOString() ?? recordedAt,
      recordedAt,
      correlationId: context.correlationId,
      causationId: context.causationId,
      ...trace,
      actor: context.actor,
      data: this.registry.validateData(event.type, event.data),
    }));
    const expected =
      typeof expectedVersion === 'number'
        ? expectedVersion
        : expectedVersion === 'no_stream'
          ? 0
          : null;
    let result;
    try {
      result = await client.query<{ current: number; inserted: string }>({
        // Named, so each connection plans it once.
        name: 'cs-append',
        text: APPEND,
        values: [
          streamId,
          expected,
          drafts.map((e) => e.id),
          drafts.map((e) => e.type),
          drafts.map((e) => e.schemaVersion),
          drafts.map((e) => JSON.stringify(e.data)),
          drafts.map((e) =>
            JSON.stringify({
              correlationId: e.correlationId,
              causationId: e.causationId,
              traceparent: e.traceparent,
              tracestate: e.tracestate,
              actor: e.actor,
            }),
          ),
          drafts.map((e) => e.occurredAt),
          drafts.map((e) => e.recordedAt),
          drafts.map((e) => this.subjectOf(e)),
          drafts.map((e) => JSON.stringify(e)),
          OUTBOX_CHANNEL,
        ],
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConcurrencyError(streamId, expectedVersion, (expected ?? 0) + 1);
      }
      throw error;
    }
    const current = result.rows[0]!.current;
    if (expected !== null && current !== expected) {
      throw new ConcurrencyError(streamId, expectedVersion, current);
    }
    const envelopes: Envelope[] = drafts.map((draft, index) => ({
      ...draft,
      streamVersion: current + index + 1,
    }));
    return { nextVersion: current + envelopes.length, events: envelopes };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<Envelope[]> {
    const { rows } = await this.pool.query<EventRow>(
      'SELECT * FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version',
      [streamId, fromVersion],
    );
    return rows.map((row) => this.toEnvelope(row));
  }

  /**
   * Reads a stream inside the caller's transaction. With `lock`, the lock and the read go in one
   * round trip as two statements, so the read's snapshot is taken once the lock is held and sees
   * what every earlier holder committed.
   */
  async readStreamWith(
    client: PoolClient,
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<StreamEvent[]> {
    const after = Math.trunc(options.afterVersion ?? 0);
    let rows: StreamRow[];
    if (options.lock) {
      const id = client.escapeLiteral(streamId);
      const results = (await client.query(
        `SELECT pg_advisory_xact_lock(hashtext(${id}));
         SELECT type, schema_version, data, stream_version FROM events
          WHERE stream_id = ${id} AND stream_version > ${after} ORDER BY stream_version`,
      )) as unknown as [QueryResult, QueryResult<StreamRow>];
      rows = results[1].rows;
    } else {
      ({ rows } = await client.query<StreamRow>({
        name: 'cs-read-stream',
        text: `SELECT type, schema_version, data, stream_version FROM events
                WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
        values: [streamId, after],
      }));
    }
    return rows.map((row) => ({
      type: row.type,
      data: this.registry.upcastStored(row.type, row.schema_version, row.data),
      streamVersion: row.stream_version,
    }));
  }

  /**
   * Reads the global log after a position, never past the oldest transaction still in flight:
   * a reader that skipped a late commit would never see it.
   */
  async readAll(afterPosition = 0, limit = 1000): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM events
        WHERE global_position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map((row) => ({
      position: Number(row.global_position),
      envelope: this.toEnvelope(row),
    }));
  }

  private subjectOf(envelope: Pick<Envelope, 'type' | 'data'>): string {
    const definition = this.registry.definition(envelope.type);
    return this.naming.subject(
      definition.context,
      envelope.type,
      definition.proIdOf?.(envelope.data),
    );
  }

  private toEnvelope(row: EventRow): Envelope {
    return envelopeFromRow(this.registry, row);
  }
}
