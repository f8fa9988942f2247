import type { Envelope } from '@cs/contracts';
import type { ExecutionContext } from '../context/execution-context';
import type { TraceContext } from '../tracing/trace-context';

/** An event as a consumer sees it: the parsed envelope and its place in the JetStream stream. */
export interface ConsumedEvent {
  envelope: Envelope;
  streamSeq: number;
  /** 1 on first delivery; JetStream counts redeliveries. */
  deliveryCount: number;
  /** The NATS subject it arrived on (absent when replayed from a store). */
  subject?: string;
  /** The trace context of the message headers, when it had one. */
  trace?: TraceContext;
}

/** The context for work an event causes: same correlation, caused by this event. */
export const causedBy = (envelope: Envelope): ExecutionContext => ({
  correlationId: envelope.correlationId,
  causationId: envelope.id,
  actor: envelope.actor,
});
