import type { PoolClient } from 'pg';
import type { ConsumedEvent } from './consumed-event';

/** What to do with each event of a batch, given the last version applied per aggregate stream. */
export interface Sorted {
  apply: ConsumedEvent[];
  /** Applied (or skipped) before: a redelivery, acked without applying it again. */
  duplicate: ConsumedEvent[];
  /** A predecessor has not been applied yet: it comes back later, never acked meanwhile. */
  early: ConsumedEvent[];
}

/** A version an operator or the dead-letter path moved past on purpose (replays honour it). */
export type IsSkipped = (streamId: string, streamVersion: number) => boolean;

/**
 * Exactly once and in order per aggregate stream: version v applies only after v - 1. A
 * redelivered event is a duplicate; one that overtook its predecessor waits for it however long
 * that takes: only a recorded skip (`skipEvent`) moves a stream past a version it never saw.
 */
export function sortByPosition(
  events: readonly ConsumedEvent[],
  positions: Map<string, number>,
  isSkipped: IsSkipped = () => false,
): Sorted {
  const sorted: Sorted = { apply: [], duplicate: [], early: [] };
  for (const event of events) {
    const { streamId, streamVersion } = event.envelope;
    let last = positions.get(streamId) ?? 0;
    while (last + 1 < streamVersion && isSkipped(streamId, last + 1)) last++;
    if (streamVersion <= last) sorted.duplicate.push(event);
    else if (streamVersion === last + 1) {
      sorted.apply.push(event);
      positions.set(streamId, streamVersion);
    } else sorted.early.push(event);
  }
  return sorted;
}

/**
 * Locks the position row of every stream in the batch, creating the missing ones at version 0
 * first, so two instances racing on the first events of a new stream take turns too. Rows are
 * locked in stream id order, so concurrent batches cannot deadlock.
 */
export async function lockPositions(
  tx: PoolClient,
  consumer: string,
  streamIds: readonly string[],
): Promise<Map<string, number>> {
  const ids = [...new Set(streamIds)].sort();
  const { rows } = await tx.query<{ stream_id: string; stream_version: number }>(
    `INSERT INTO consumer_positions (consumer, stream_id, stream_version, stream_seq)
     SELECT $1, id, 0, 0 FROM unnest($2::text[]) WITH ORDINALITY AS s(id, n) ORDER BY n
     ON CONFLICT (consumer, stream_id) DO UPDATE SET stream_version = consumer_positions.stream_version
     RETURNING stream_id, stream_version`,
    [consumer, ids],
  );
  return new Map(rows.map((r) => [r.stream_id, r.stream_version]));
}

export async function savePositions(
  tx: PoolClient,
  consumer: string,
  applied: readonly ConsumedEvent[],
): Promise<void> {
  const last = new Map<string, ConsumedEvent>();
  for (const event of applied) last.set(event.envelope.streamId, event);
  if (last.size === 0) return;
  const events = [...last.values()];
  await tx.query(
    `INSERT INTO consumer_positions (consumer, stream_id, stream_version, stream_seq)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (consumer, stream_id) DO UPDATE
       SET stream_version = GREATEST(consumer_positions.stream_version, excluded.stream_version),
           stream_seq = GREATEST(consumer_positions.stream_seq, excluded.stream_seq)`,
    [
      consumer,
      events.map((e) => e.envelope.streamId),
      events.map((e) => e.envelope.streamVersion),
      events.map((e) => e.streamSeq),
    ],
  );
}

/**
 * Applies the events of a batch that are due, and records them as applied, in one transaction.
 * Returns how each event was sorted, so the caller can ack or delay it.
 */
export async function applyInOrder(
  tx: PoolClient,
  consumer: string,
  events: readonly ConsumedEvent[],
  handle: (events: readonly ConsumedEvent[], tx: PoolClient) => Promise<void>,
  isSkipped?: IsSkipped,
): Promise<Sorted> {
  const positions = await lockPositions(
    tx,
    consumer,
    events.map((e) => e.envelope.streamId),
  );
  const sorted = sortByPosition(events, positions, isSkipped);
  if (sorted.apply.length > 0) {
    await handle(sorted.apply, tx);
    await savePositions(tx, consumer, sorted.apply);
  }
  return sorted;
}
