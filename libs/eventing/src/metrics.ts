import { Gauge, type Registry } from 'prom-client';
import type { DurableConsumer } from './consumers/durable-consumer';
import type { OutboxRelay } from './outbox/outbox-relay';

/** Outbox depth and consumer lag, read when Prometheus scrapes rather than on a timer. */
export function registerEventingMetrics(
  registry: Registry,
  relay: OutboxRelay,
  consumers: () => readonly DurableConsumer[],
) {
  new Gauge({
    name: 'cs_outbox_depth',
    help: 'Events committed to the outbox and not yet published to JetStream',
    registers: [registry],
    async collect() {
      this.set(await relay.depth().catch(() => -1));
    },
  });
  new Gauge({
    name: 'cs_consumer_lag',
    help: 'Messages a durable consumer has not yet acknowledged',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      for (const consumer of consumers()) {
        this.set({ consumer: consumer.name }, await consumer.lag().catch(() => -1));
      }
    },
  });
}
