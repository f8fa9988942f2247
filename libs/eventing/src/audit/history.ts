import { type Actor, type Envelope, type EventRegistry, eventRegistry } from '@cs/contracts';
import type { Pool } from 'pg';
import { envelopeFromRow, type EventRow } from '../event-store/event-row';
import { assertSchemaName } from '../postgres/pool';
import { causalOrder } from './causal-order';

export type HistorySubject = { kind: 'pro' | 'booking' | 'calendar'; id: string };

export interface HistoryQuery {
  subject: HistorySubject;
  /** The services' schemas, each holding an `events` table; the first wins ties in time. */
  schemas: readonly string[];
  /** Recorded at or after. */
  from?: Date;
  /** Recorded before. */
  to?: Date;
}

/** Where an event was recorded, enough to find it again. */
export interface EventRef {
  id: string;
  type: string;
  service: string;
  streamId: string;
  streamVersion: number;
}

export type Cause =
  /** A request or a job of this actor, not another event. */
  | { kind: 'request'; actor: Actor }
  | { kind: 'event'; event: EventRef; inHistory: boolean }
  /** The causing event is in none of the schemas read (another system, or a message off the bus). */
  | { kind: 'unknown'; eventId: string };

export interface HistoryEntry {
  /** The schema, which is the service's name unless `DB_SCHEMA` says otherwise. */
  service: string;
  position: number;
  envelope: Envelope;
  cause: Cause;
}

interface Found {
  service: string;
  position: number;
  envelope: Envelope;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The conditions on `data` (jsonb containment) that put an event into a subject's history. */
const MATCH: Record<HistorySubject['kind'], string> = {
  pro: `data @> jsonb_build_object('proId', $1::text)
        OR data @> jsonb_build_object('proIds', jsonb_build_array($1::text))`,
  booking: `data @> jsonb_build_object('bookingId', $1::text)`,
  calendar: `data @> jsonb_build_object('calendarId', $1::text)
             OR data @> jsonb_build_object('calendars', jsonb_build_array(jsonb_build_object('calendarId', $1::text)))`,
};

/** A connection's own events (authorised, needs re-authorisation, removed) concern all its calendars. */
const CONNECTION_LEVEL = `data @> jsonb_build_object('connectionId', $1::text) AND NOT data ? 'calendarId'`;

/** Which of these schemas hold an event store. */
export async function schemasWithEvents(pool: Pool, schemas: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ schema: string }>(
    `SELECT s AS schema FROM unnest($1::text[]) WITH ORDINALITY AS c(s, n)
      WHERE to_regclass(quote_ident(s) || '.events') IS NOT NULL ORDER BY n`,
    [schemas.map(assertSchemaName)],
  );
  return rows.map((row) => row.schema);
}

/**
 * The history of one Pro, booking or calendar across the services' event stores, in the order
 * it happened (an event always after its cause and after its stream's previous version), each
 * event with what caused it.
 */
export async function readHistory(
  pool: Pool,
  query: HistoryQuery,
  registry: EventRegistry = eventRegistry,
): Promise<HistoryEntry[]> {
  const read = (condition: string, value: string) =>
    Promise.all(
      query.schemas.map((schema) => readMatching(pool, registry, schema, condition, value, query)),
    );
  let found = (await read(MATCH[query.subject.kind], query.subject.id)).flat();
  if (query.subject.kind === 'calendar') {
    const connections = new Set(found.map((f) => connectionIdOf(f.envelope)).filter(isString));
    for (const connectionId of connections)
      found = found.concat((await read(CONNECTION_LEVEL, connectionId)).flat());
  }
  const unique = [...new Map(found.map((f) => [f.envelope.id, f])).values()];
  const ordered = causalOrder(unique, compareByTime(query.schemas));
  const inHistory = new Map(ordered.map((f) => [f.envelope.id, f]));
  const elsewhere = await findEvents(
    pool,
    query.schemas,
    ordered
      .map((f) => f.envelope.causationId)
      .filter((id): id is string => !!id && !inHistory.has(id)),
  );
  return ordered.map((f) => ({ ...f, cause: causeOf(f.envelope, inHistory, elsewhere) }));
}

async function readMatching(
  pool: Pool,
  registry: EventRegistry,
  schema: string,
  condition: string,
  value: string,
  query: HistoryQuery,
): Promise<Found[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT * FROM ${assertSchemaName(schema)}.events
      WHERE (${condition})
        AND ($2::timestamptz IS NULL OR recorded_at >= $2)
        AND ($3::timestamptz IS NULL OR recorded_at < $3)
      ORDER BY global_position`,
    [value, query.from ?? null, query.to ?? null],
  );
  return rows.map((row) => ({
    service: schema,
    position: Number(row.global_position),
    envelope: envelopeFromRow(registry, row),
  }));
}

async function findEvents(
  pool: Pool,
  schemas: readonly string[],
  ids: readonly string[],
): Promise<Map<string, EventRef>> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
  const found = new Map<string, EventRef>();
  if (wanted.length === 0) return found;
  for (const schema of schemas) {
    const { rows } = await pool.query<
      Pick<EventRow, 'event_id' | 'type' | 'stream_id' | 'stream_version'>
    >(
      `SELECT event_id, type, stream_id, stream_version FROM ${assertSchemaName(schema)}.events
        WHERE event_id = ANY($1::uuid[])`,
      [wanted],
    );
    for (const row of rows)
      found.set(row.event_id, {
        id: row.event_id,
        type: row.type,
        service: schema,
        streamId: row.stream_id,
        streamVersion: row.stream_version,
      });
  }
  return found;
}

function causeOf(
  envelope: Envelope,
  inHistory: ReadonlyMap<string, Found>,
  elsewhere: ReadonlyMap<string, EventRef>,
): Cause {
  const id = envelope.causationId;
  if (id === null) return { kind: 'request', actor: envelope.actor };
  const local = inHistory.get(id);
  if (local) return { kind: 'event', event: refOf(local), inHistory: true };
  const other = elsewhere.get(id);
  return other
    ? { kind: 'event', event: other, inHistory: false }
    : { kind: 'unknown', eventId: id };
}

const refOf = (found: Found): EventRef => ({
  id: found.envelope.id,
  type: found.envelope.type,
  service: found.service,
  streamId: found.envelope.streamId,
  streamVersion: found.envelope.streamVersion,
});

/** Recording time first; the schemas' order and each log's position break ties. */
function compareByTime(schemas: readonly string[]) {
  return (a: Found, b: Found) =>
    a.envelope.recordedAt.localeCompare(b.envelope.recordedAt) ||
    schemas.indexOf(a.service) - schemas.indexOf(b.service) ||
    a.position - b.position;
}

function connectionIdOf(envelope: Envelope): string | undefined {
  const data = envelope.data as { connectionId?: unknown } | null;
  return typeof data?.connectionId === 'string' ? data.connectionId : undefined;
}

const isString = (value: string | undefined): value is string => value !== undefined;
