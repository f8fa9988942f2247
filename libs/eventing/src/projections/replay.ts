import { DeliverPolicy } from '@nats-io/jetstream';
import { eventRegistry, type Context } from '@cs/contracts';
import type { PoolClient } from 'pg';
import type { ConsumerRuntime } from '../consumers/durable-consumer';
import type { ConsumedEvent } from '../consumers/consumed-event';
import { errorDetails } from '../log';
import { withTransaction } from '../postgres/pool';
import { applyInOrder, savePositions, type IsSkipped, type Sorted } from '../consumers/positions';

const REPLAY_BATCH = 5000;

export interface Replay {
  projection: string;
  stream: Context;
  /** Positions key of the copy being built. */
  key: string;
  includes(event: ConsumedEvent): boolean;
  skipped: IsSkipped;
  handle(events: readonly ConsumedEvent[], tx: PoolClient): Promise<void>;
}

/**
 * Reads a stream to its current end with an ordered consumer and applies it in large
 * transactions, for a throw-away copy of a model (verify): nobody reads it, so its batches need
 * not wait for the disk.
 */
export async function replayStream(runtime: ConsumerRuntime, replay: Replay): Promise<number> {
  const name = runtime.naming.stream(replay.stream);
  const info = await runtime.jsm.streams.info(name);
  const end = info.state.last_seq;
  if (info.state.messages === 0) return 0;
  const registry = runtime.registry ?? eventRegistry;
  const consumer = await runtime.js.consumers.get(name, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: REPLAY_BATCH * 2 });
  let batch: ConsumedEvent[] = [];
  let count = 0;
  const flush = async () => {
    count += await applyReplayed(runtime, replay, batch);
    batch = [];
  };
  try {
    for await (const msg of messages) {
      try {
        const event = {
          envelope: registry.parse(msg.json()),
          streamSeq: msg.seq,
          deliveryCount: 1,
        };
        if (replay.includes(event)) batch.push(event);
      } catch {
        // The live consumer dead-lettered it too; the copy must skip what the live one skipped.
      }
      if (batch.length >= REPLAY_BATCH || msg.info.pending === 0) await flush();
      if (msg.seq >= end) break;
    }
    await flush();
  } finally {
    await messages.close();
  }
  return count;
}

async function applyReplayed(
  runtime: ConsumerRuntime,
  replay: Replay,
  events: ConsumedEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const handle = async (batch: readonly ConsumedEvent[], tx: PoolClient) => {
    await tx.query('SET LOCAL synchronous_commit TO off');
    await replay.handle(batch, tx);
  };
  const { pool } = runtime;
  const inOrder = (sorted: Sorted) => {
    // The relay publishes each aggregate in version order: a gap here is a lost event, and a
    // model built past it would differ from the live one, which still waits for it.
    const early = sorted.early[0];
    if (early)
      throw new Error(
        `projection ${replay.projection}: ${early.envelope.streamId} version ${early.envelope.streamVersion} has no predecessor on the bus`,
      );
    return sorted.apply.length;
  };
  try {
    return inOrder(
      await withTransaction(pool, (tx) =>
        applyInOrder(tx, replay.key, events, handle, replay.skipped),
      ),
    );
  } catch {
    let applied = 0;
    for (const event of events) {
      let one: Sorted;
      try {
        one = await withTransaction(pool, (tx) =>
          applyInOrder(tx, replay.key, [event], handle, replay.skipped),
        );
      } catch (error) {
        // As the live consumer does, after its tries: skip it and move the position past it.
        await withTransaction(pool, (tx) => savePositions(tx, replay.key, [event]));
        runtime.log?.('warn', 'replay skipped an event its handler refuses', {
          projection: replay.projection,
          streamSeq: event.streamSeq,
          ...errorDetails(error),
        });
        continue;
      }
      applied += inOrder(one);
    }
    return applied;
  }
}
