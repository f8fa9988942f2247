import type { Envelope } from '@cs/contracts';
import type { ExecutionContext } from '../context/execution-context';

/** An event as a consumer sees it: the parsed envelope and its place in the JetStream stream. */
export interface ConsumedEvent {
  envelope: Envelope;
  streamSeq: number;
  /** 1 on first delivery; JetStream counts redeliveries. */
  deliveryCount: number;
}

/** The context for work an event causes: same correlation, caused by this event. */
export const causedBy = (envelope: Envelope): ExecutionContext => ({
  correlationId: envelope.correlationId,
  causationId: envelope.id,
  actor: envelope.actor,
});
