import type { BusNaming, Context } from '@cs/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';

/**
 * The floor of a rebuild: JetStream delivering every message of `streams` from sequence 1 to a
 * durable pull consumer that acks each one explicitly, doing nothing else. Events/s.
 */
export async function jetStreamDeliveryFloor(
  js: JetStreamClient,
  jsm: JetStreamManager,
  naming: BusNaming,
  streams: Context[],
): Promise<{ events: number; eventsPerSecond: number }> {
  let events = 0;
  const started = performance.now();
  for (const context of streams) {
    const stream = naming.stream(context);
    const total = (await jsm.streams.info(stream)).state.messages;
    const name = `bench_scale_floor_${context}`;
    await jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 20_000,
    });
    try {
      const consumer = await js.consumers.get(stream, name);
      for (let seen = 0; seen < total;) {
        const batch = await consumer.fetch({ max_messages: 4_096, expires: 2_000 });
        for await (const message of batch) {
          message.ack();
          seen++;
        }
      }
      events += total;
    } finally {
      await jsm.consumers.delete(stream, name).catch(() => undefined);
    }
  }
  return { events, eventsPerSecond: events / ((performance.now() - started) / 1000) };
}
