import type { BusNaming } from '@cs/contracts';
import { DurableConsumer } from '@cs/eventing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';

const WINDOW_MS = 30_000;

/** Events of the sync stream a durable consumer has applied, by its ack floor. */
async function ackFloor(jsm: JetStreamManager, naming: BusNaming, durable: string) {
  const info = await jsm.consumers.info(naming.stream('sync'), naming.durable(durable));
  return { acked: info.ack_floor.stream_seq, pending: info.num_pending + info.num_ack_pending };
}

/**
 * Events/s of booking's `booking-external-conflicts` consumer over a window (or until it has
 * caught up), read from JetStream's ack floor while the service runs.
 */
export async function conflictsConsumerRate(
  jsm: JetStreamManager,
  naming: BusNaming,
): Promise<number> {
  const first = await ackFloor(jsm, naming, 'booking-external-conflicts');
  const started = performance.now();
  let last = first;
  while (performance.now() - started < WINDOW_MS && last.pending > 0) {
    await new Promise((r) => setTimeout(r, 500));
    last = await ackFloor(jsm, naming, 'booking-external-conflicts');
  }
  return (last.acked - first.acked) / ((performance.now() - started) / 1000);
}

/**
 * The floor of that consumer: a durable consumer on the same stream and schema whose handler
 * does nothing, so each batch costs only delivery, the positions and the transaction. Events/s
 * over the same window.
 */
export async function consumerFloorRate(runtime: {
  pool: Pool;
  js: JetStreamClient;
  jsm: JetStreamManager;
  naming: BusNaming;
}): Promise<number> {
  const name = 'bench-scale-consumer-floor';
  const consumer = new DurableConsumer(
    { name, stream: 'sync', handleEvent: async () => undefined },
    runtime,
  );
  await consumer.start();
  try {
    const started = performance.now();
    while (performance.now() - started < WINDOW_MS) {
      await new Promise((r) => setTimeout(r, 500));
      if ((await consumer.lag()) === 0) break;
    }
    return consumer.appliedCount / ((performance.now() - started) / 1000);
  } finally {
    await consumer.stop();
    await runtime.jsm.consumers
      .delete(runtime.naming.stream('sync'), runtime.naming.durable(name))
      .catch(() => undefined);
    await runtime.pool.query(`DELETE FROM consumer_positions WHERE consumer = $1`, [name]);
  }
}
