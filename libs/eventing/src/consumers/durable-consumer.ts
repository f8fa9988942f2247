import { eventRegistry, type BusNaming, type Context, type EventRegistry } from '@cs/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Pool, PoolClient } from 'pg';
import { backoffDelay, sleep } from '../backoff';
import { errorDetails, type Log, silentLog } from '../log';
import { isConnectionError, withTransaction } from '../postgres/pool';
import { Wakeup } from '../wakeup';
import { runInContext } from '../context/execution-context';
import { inConsumerSpan } from '../tracing/consumer-span';
import { traceOfHeaders } from '../tracing/trace-headers';
import { type ConsumerMetrics, noConsumerMetrics } from './consumer-metrics';
import { causedBy, type ConsumedEvent } from './consumed-event';
import { applyInOrder, type Sorted } from './positions';
import { deadLetter } from './dead-letter';
import { skipEvent } from './skips';

export interface ConsumerDefinition {
  /** Durable name, unique within the service; also the key of its positions. */
  name: string;
  stream: Context;
  /**
   * Applies a batch in stream order inside the transaction that records it as applied; for
   * read models that write many rows at once. Give this or `handleEvent`.
   */
  handle?(events: readonly ConsumedEvent[], tx: PoolClient): Promise<void>;
  /**
   * Applies one event inside that transaction, in the event's context: its logs carry the
   * event's correlation id, and events it appends are caused by it.
   */
  handleEvent?(event: ConsumedEvent, tx: PoolClient): Promise<void>;
  /**
   * Told after each transaction of the consumer's whether it committed (one transaction at a
   * time): what a handler kept for later transactions (such as folds) is kept only once the
   * writes they saw are.
   */
  settled?(committed: boolean): void;
  batchSize?: number;
  /** Tries a failing event gets before it goes to the dead-letter subject. */
  maxAttempts?: number;
  /**
   * How long JetStream waits for an ack before it redelivers what a dead instance held: the
   * bound on how long survivors wait for it. Messages in hand are kept alive by heartbeats.
   */
  ackWaitMs?: number;
}

export interface ConsumerRuntime {
  pool: Pool;
  js: JetStreamClient;
  jsm: JetStreamManager;
  naming: BusNaming;
  registry?: EventRegistry;
  log?: Log;
  metrics?: ConsumerMetrics;
}

interface Decoded {
  msg: JsMsg;
  event?: ConsumedEvent;
  invalid?: string;
  /** When it was delivered or last kept alive (`performance.now()` ms). */
  touchedAt: number;
}

const nanos = (ms: number) => ms * 1_000_000;
const EARLY_RETRY_MS = 250;
export const DEFAULT_ACK_WAIT_MS = 5_000;

/**
 * A durable pull consumer with explicit acks. The last applied version of each aggregate stream is
 * stored in the same transaction as the handler's writes, so a redelivered message is recognised
 * and skipped, one that overtakes its predecessor waits for it, and a crash at any point neither
 * loses an event nor applies one twice.
 */
export class DurableConsumer {
  private readonly registry: EventRegistry;
  private readonly handle: (events: readonly ConsumedEvent[], tx: PoolClient) => Promise<void>;
  private readonly log: Log;
  private readonly metrics: ConsumerMetrics;
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private applied = 0;

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly runtime: ConsumerRuntime,
  ) {
    this.registry = runtime.registry ?? eventRegistry;
    this.handle = handlerOf(definition);
    this.log = runtime.log ?? silentLog;
    this.metrics = runtime.metrics ?? noConsumerMetrics;
  }

  get name(): string {
    return this.definition.name;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get appliedCount(): number {
    return this.applied;
  }

  private get ackWaitMs(): number {
    return this.definition.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  }

  private get streamName(): string {
    return this.runtime.naming.stream(this.definition.stream);
  }

  private get durableName(): string {
    return this.runtime.naming.durable(this.definition.name);
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.ensureConsumer();
    this.stopping = false;
    this.running = this.run();
  }

  /** Finishes the batch in hand and stops; what was fetched and not applied comes back later. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    await this.running;
    this.running = undefined;
  }

  async lag(): Promise<number> {
    const info = await this.runtime.jsm.consumers.info(this.streamName, this.durableName);
    return info.num_pending + info.num_ack_pending;
  }

  private async ensureConsumer(): Promise<void> {
    const config = {
      durable_name: this.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.ackWaitMs),
      // Our own attempts bound poison messages; the server must never drop one on its own.
      max_deliver: -1,
      max_ack_pending: (this.definition.batchSize ?? 256) * 4,
    };
    try {
      await this.runtime.jsm.consumers.info(this.streamName, this.durableName);
      await this.runtime.jsm.consumers.update(this.streamName, this.durableName, {
        ack_wait: config.ack_wait,
        max_deliver: config.max_deliver,
        max_ack_pending: config.max_ack_pending,
      });
    } catch (error) {
      if (
        !(error instanceof JetStreamApiError) ||
        error.code !== JetStreamApiCodes.ConsumerNotFound
      )
        throw error;
      await this.runtime.jsm.consumers.add(this.streamName, config);
    }
  }

  private async run(): Promise<void> {
    const batchSize = this.definition.batchSize ?? 256;
    let failures = 0;
    let heartbeat: NodeJS.Timeout | undefined;
    while (!this.stopping) {
      try {
        const consumer = await this.runtime.js.consumers.get(this.streamName, this.durableName);
        // Whatever has arrived is one batch: large under load, a single event when traffic is light.
        // Decoded on arrival, while the batch before it is in the database.
        const arrived: Decoded[] = [];
        let inHand: Decoded[] = [];
        // Whatever this instance holds stays its own while it lives; once it dies, the short ack
        // wait hands it to the survivors. A message delivered or touched recently needs no touch.
        const every = Math.max(100, Math.floor(this.ackWaitMs / 3));
        heartbeat = setInterval(() => {
          // Elapsed time against JetStream's own ack wait: a monotonic timer, not the service clock.
          const now = performance.now();
          for (const held of [inHand, arrived])
            for (const item of held) {
              if (now - item.touchedAt < every / 2) continue;
              item.msg.working();
              item.touchedAt = now;
            }
        }, every);
        const wakeup = new Wakeup();
        let closed = false;
        let active = true;
        const messages = await consumer.consume({
          max_messages: batchSize,
          callback: (msg) => {
            // A pull request can outlive its subscription: what reaches a retired one goes straight back.
            if (!active || this.stopping) return msg.nak();
            arrived.push(this.decode(msg));
            wakeup.ring();
          },
        });
        this.messages = messages;
        void messages.closed().then(() => {
          closed = true;
          wakeup.ring();
        });
        while (!this.stopping && !closed) {
          if (arrived.length === 0) await wakeup.wait(1_000);
          else {
            inHand = arrived.splice(0, batchSize);
            await this.process(inHand);
            inHand = [];
            failures = 0;
          }
        }
        active = false;
        for (const item of arrived.splice(0)) item.msg.nak();
        if (closed && !this.stopping) throw new Error('consumer subscription closed');
      } catch (error) {
        if (this.stopping) break;
        failures++;
        this.log('warn', 'consumer paused', {
          consumer: this.definition.name,
          ...errorDetails(error),
          failures,
        });
        await sleep(backoffDelay(failures, 200, 5_000));
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  private decode(msg: JsMsg): Decoded {
    const touchedAt = performance.now();
    try {
      const envelope = this.registry.parse(msg.json());
      return {
        msg,
        event: {
          envelope,
          streamSeq: msg.seq,
          deliveryCount: msg.info.deliveryCount,
          subject: msg.subject,
          trace: traceOfHeaders(msg.headers),
        },
        touchedAt,
      };
    } catch (error) {
      return {
        msg,
        touchedAt,
        invalid: error instanceof Error ? `${error.message}${issuesOf(error)}` : String(error),
      };
    }
  }

  private async process(decoded: Decoded[]): Promise<void> {
    if (decoded.every((d) => d.event) && decoded.length > 1) {
      try {
        const sorted = await this.apply(decoded.map((d) => d.event!));
        this.settle(decoded, sorted);
        return;
      } catch (error) {
        // One bad event must not hold back the others: fall back to one at a time.
        this.log('warn', 'batch failed, applying one by one', {
          consumer: this.definition.name,
          ...errorDetails(error),
        });
      }
    }
    for (const item of decoded) {
      if (this.stopping) return item.msg.nak();
      await this.processOne(item);
    }
  }

  private settle(decoded: readonly Decoded[], sorted: Sorted): void {
    const early = new Set(sorted.early);
    for (const { msg, event } of decoded) {
      if (event && early.has(event)) msg.nak(EARLY_RETRY_MS);
      else msg.ack();
    }
  }

  private async processOne(item: Decoded): Promise<void> {
    const { msg, event, invalid } = item;
    if (invalid) return this.park(msg, undefined, `invalid event: ${invalid}`);
    const maxAttempts = this.definition.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        this.settle([item], await this.apply([event!]));
        return;
      } catch (error) {
        const infrastructure = isConnectionError(error);
        if (!infrastructure && attempt >= maxAttempts) {
          return this.park(
            msg,
            event,
            `handler failed ${attempt} times: ${errorDetails(error).error as string}`,
          );
        }
        if (this.stopping) return msg.nak();
        this.log('warn', 'event handler failed, retrying', {
          consumer: this.definition.name,
          streamSeq: msg.seq,
          attempt,
          ...errorDetails(error),
        });
        msg.working();
        await sleep(backoffDelay(infrastructure ? Math.min(attempt, 6) : attempt));
        // A database outage is not the event's fault: it must not use up the event's tries.
        if (infrastructure) attempt = Math.min(attempt, maxAttempts - 1);
      }
    }
  }

  private async apply(events: ConsumedEvent[]): Promise<Sorted> {
    const started = performance.now();
    let sorted: Sorted;
    try {
      sorted = await withTransaction(this.runtime.pool, (tx) =>
        applyInOrder(tx, this.definition.name, events, this.handle),
      );
    } catch (error) {
      this.definition.settled?.(false);
      this.metrics.failed(this.definition.name);
      throw error;
    }
    this.definition.settled?.(true);
    this.metrics.handled(
      this.definition.name,
      sorted.apply.length,
      (performance.now() - started) / 1000,
    );
    this.applied += sorted.apply.length;
    return sorted;
  }

  /**
   * Dead-letters a message and records the skip, so the events behind it keep flowing and the
   * audit table says why this one was not applied.
   */
  private async park(msg: JsMsg, event: ConsumedEvent | undefined, reason: string): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const { js, naming } = this.runtime;
        await deadLetter(
          js,
          naming.deadLetterSubject(naming.durable(this.definition.name)),
          this.definition.name,
          msg,
          reason,
        );
        const outcome = event
          ? await withTransaction(this.runtime.pool, (tx) =>
              skipEvent(tx, {
                consumer: this.definition.name,
                streamId: event.envelope.streamId,
                streamVersion: event.envelope.streamVersion,
                reason: reason.slice(0, 1000),
                skippedBy: 'dead-letter',
              }),
            )
          : 'skipped';
        // Another instance moved the stream meanwhile: this one is sorted again on redelivery.
        if (outcome === 'not-next') return msg.nak(EARLY_RETRY_MS);
        this.metrics.deadLettered(this.definition.name);
        this.log('error', 'event dead-lettered', {
          consumer: this.definition.name,
          streamSeq: msg.seq,
          reason,
        });
        // The reason lives in the dead letter: a server before 2.10 ignores a +TERM with a reason
        // and would redeliver the message for ever.
        msg.term();
        return;
      } catch (error) {
        this.log('warn', 'could not dead-letter yet', {
          consumer: this.definition.name,
          ...errorDetails(error),
        });
        msg.working();
        await sleep(backoffDelay(attempt));
      }
    }
    msg.nak();
  }
}

function handlerOf(definition: ConsumerDefinition) {
  const { handle, handleEvent } = definition;
  if (handle && !handleEvent)
    return (events: readonly ConsumedEvent[], tx: PoolClient) =>
      inConsumerSpan(definition.name, events, () => handle.call(definition, events, tx));
  if (handleEvent && !handle) {
    return async (events: readonly ConsumedEvent[], tx: PoolClient) => {
      for (const event of events)
        await inConsumerSpan(definition.name, [event], () =>
          runInContext(causedBy(event.envelope), () => handleEvent.call(definition, event, tx)),
        );
    };
  }
  throw new Error(`consumer ${definition.name} needs exactly one of handle and handleEvent`);
}

function issuesOf(error: Error): string {
  const issues = (error as { issues?: ReadonlyArray<{ path: string; message: string }> }).issues;
  return issues?.length ? ` (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` : '';
}
