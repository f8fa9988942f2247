import { Counter, Histogram, type Registry } from 'prom-client';

/** What a durable consumer reports: rate, errors and duration per consumer (RED). */
export interface ConsumerMetrics {
  /** A transaction that applied `events` (a batch, or one event) in `seconds`. */
  handled(consumer: string, events: number, seconds: number): void;
  /** An attempt that failed and will be retried or dead-lettered. */
  failed(consumer: string): void;
  deadLettered(consumer: string): void;
}

export const noConsumerMetrics: ConsumerMetrics = {
  handled: () => undefined,
  failed: () => undefined,
  deadLettered: () => undefined,
};

export function consumerMetrics(registry: Registry): ConsumerMetrics {
  const labelNames = ['consumer'] as const;
  const registers = [registry];
  const events = new Counter({
    name: 'cs_consumer_events_handled_total',
    help: 'Events a durable consumer applied (duplicates and events parked early not counted)',
    labelNames,
    registers,
  });
  const failures = new Counter({
    name: 'cs_consumer_failures_total',
    help: 'Failed attempts to apply a batch or an event; each is retried or dead-lettered',
    labelNames,
    registers,
  });
  const deadLetters = new Counter({
    name: 'cs_consumer_dead_letters_total',
    help: 'Events a durable consumer gave up on and sent to its dead-letter subject',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: 'cs_consumer_handling_duration_seconds',
    help: 'Seconds one consumer transaction took to apply its batch or event',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  return {
    handled(consumer, count, seconds) {
      events.inc({ consumer }, count);
      duration.observe({ consumer }, seconds);
    },
    failed: (consumer) => failures.inc({ consumer }),
    deadLettered: (consumer) => deadLetters.inc({ consumer }),
  };
}
