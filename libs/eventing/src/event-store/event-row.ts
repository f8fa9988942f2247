import type { Envelope, EventRegistry } from '@cs/contracts';

/** A row of a service's `events` table, as `SELECT *` gives it. */
export interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: Pick<
    Envelope,
    'correlationId' | 'causationId' | 'traceparent' | 'tracestate' | 'actor'
  >;
  occurred_at: Date;
  recorded_at: Date;
}

/** The stored event as its envelope, upcast to the current version of its schema. */
export function envelopeFromRow(registry: EventRegistry, row: EventRow): Envelope {
  return registry.parse({
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    // The envelope's own fields: correlation, causation, actor, and trace context when traced.
    ...row.metadata,
    data: row.data,
  }) as Envelope;
}
