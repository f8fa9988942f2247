import {
  type BusNaming,
  type Context,
  type Envelope,
  eventRegistry,
  type PersonRef,
  systemActor,
} from '@cs/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { newId } from '../clock';
import type { EventStore } from '../event-store/event-store';
import { envelopeFromRow, type EventRow } from '../event-store/event-row';
import { withTransaction } from '../postgres/pool';
import { holdsClear, type PersonalData } from './personal-data';
import { ownerOfPersonalData, RESEALABLE_TYPES, resealAudit } from './reseal-plan';

export interface ResealedEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  fromSchemaVersion: number;
}

export interface StoreReseal {
  /** By person (`kind:id`): the events whose personal data was sealed in place. */
  people: Map<string, { person: PersonRef; events: ResealedEvent[] }>;
  /** Events in clear whose person cannot be told (none of the known types lacks one). */
  ownerless: string[];
}

const CURRENT = Object.fromEntries(
  RESEALABLE_TYPES.map((type) => [type, eventRegistry.definition(type).schemaVersion]),
);

/**
 * In one transaction of the service's event store (docs/adr/0017): every event whose personal data
 * is still in clear gets the current schema version's form with it sealed under its person's key
 * (in `events` and in a not yet published `outbox` row), and each person's rewrite is recorded by
 * an audit event naming the events, when and why. A dry run finds them and writes nothing.
 */
export async function resealStore(
  pool: Pool,
  options: {
    store: EventStore;
    personal: PersonalData;
    context: Context;
    reason: string;
    dryRun: boolean;
  },
): Promise<StoreReseal> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<EventRow>(
      `SELECT * FROM events
        WHERE type = ANY($1)
          AND (schema_version < ($2::jsonb ->> type)::int OR strpos(data::text, '"clear"') > 0)
        ORDER BY global_position FOR UPDATE`,
      [RESEALABLE_TYPES, JSON.stringify(CURRENT)],
    );
    const found: StoreReseal = { people: new Map(), ownerless: [] };
    for (const row of rows) {
      const envelope = envelopeFromRow(eventRegistry, row);
      if (!holdsClear(envelope.data)) continue;
      const person = ownerOfPersonalData(envelope.type, envelope.data);
      if (!person) {
        found.ownerless.push(envelope.id);
        continue;
      }
      const key = `${person.kind}:${person.id}`;
      if (!found.people.has(key)) found.people.set(key, { person, events: [] });
      found.people.get(key)!.events.push({
        eventId: envelope.id,
        streamId: envelope.streamId,
        streamVersion: envelope.streamVersion,
        type: envelope.type,
        fromSchemaVersion: row.schema_version,
      });
      if (options.dryRun) continue;
      const data = eventRegistry.validateData(
        envelope.type,
        await options.personal.sealClear(tx, person, envelope.data),
      );
      const version = CURRENT[envelope.type]!;
      await tx.query('UPDATE events SET data = $2, schema_version = $3 WHERE event_id = $1', [
        envelope.id,
        JSON.stringify(data),
        version,
      ]);
      await tx.query(
        `UPDATE outbox SET payload = (payload::jsonb || jsonb_build_object('data', $2::jsonb, 'schemaVersion', $3::int))::text
          WHERE event_id = $1`,
        [envelope.id, JSON.stringify(data), version],
      );
    }
    if (options.dryRun) return found;
    const context = {
      correlationId: newId(),
      causationId: null,
      actor: systemActor('personal-data-reseal'),
    };
    for (const { person, events } of found.people.values()) {
      const audit = resealAudit(options.context, person);
      await options.store.appendWith(
        tx,
        audit.streamId,
        [
          {
            type: audit.type,
            data: { kind: person.kind, personId: person.id, reason: options.reason, events },
          },
        ],
        { expectedVersion: 'any', context },
      );
    }
    return found;
  });
}

/**
 * JetStream keeps each message as published, so a message whose event the store now holds sealed
 * is replaced (docs/adr/0017): the sealed copy is published first (as `<event id>:resealed`, the
 * same subject, stream id and version, so consumers that applied the original skip it and a
 * rebuild applies it in its aggregate's order), then the original is erased (overwritten). Run
 * again after a crash, it finishes what is left. Answers how many messages it replaced.
 */
export async function replaceInJetStream(
  pool: Pool,
  bus: { js: JetStreamClient; jsm: JetStreamManager; naming: BusNaming },
  context: Context,
): Promise<number> {
  const stream = bus.naming.stream(context);
  const { first_seq: first, last_seq: last } = (await bus.jsm.streams.info(stream)).state;
  let replaced = 0;
  for (let seq = first; last > 0 && seq <= last; seq++) {
    const message = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!message) continue;
    const published = publishedEnvelope(message.data);
    if (!published || !holdsClear(published.data)) continue;
    const { rows } = await pool.query<EventRow>('SELECT * FROM events WHERE event_id = $1', [
      published.id,
    ]);
    const stored = rows[0] && envelopeFromRow(eventRegistry, rows[0]);
    // Not this store's event, or not sealed yet (its person unknown): left as it is.
    if (!stored || holdsClear(stored.data)) continue;
    await bus.js.publish(message.subject, JSON.stringify(stored), {
      msgID: `${stored.id}:resealed`,
    });
    await bus.jsm.streams.deleteMessage(stream, seq, true);
    replaced++;
  }
  return replaced;
}

function publishedEnvelope(bytes: Uint8Array): Envelope | undefined {
  try {
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as { type?: unknown };
    if (typeof raw.type !== 'string' || !RESEALABLE_TYPES.includes(raw.type)) return undefined;
    return eventRegistry.parse(raw);
  } catch {
    return undefined;
  }
}
