import { context, type Link, SpanKind, trace } from '@opentelemetry/api';
import type { ConsumedEvent } from '../consumers/consumed-event';
import { EVENT_STREAM, EVENT_TYPE, MESSAGING, NATS_SYSTEM } from './messaging-attributes';
import { contextFrom, type TraceContext } from './trace-context';
import { runInSpan } from './run-in-span';

const tracer = trace.getTracer('@cs/eventing');

/** Where a consumed event's trace context came from: the message headers, else the envelope. */
const traceOf = (event: ConsumedEvent): TraceContext => event.trace ?? event.envelope;

/**
 * Runs a consumer's work on `events` in a CONSUMER span that continues the trace of the first
 * event carrying one and links every event of the batch, so what the work appends carries the
 * same trace onward. With tracing off the span is a no-op.
 */
export async function inConsumerSpan<T>(
  consumer: string,
  events: readonly ConsumedEvent[],
  work: () => Promise<T>,
): Promise<T> {
  const remotes = events
    .map((event) => trace.getSpanContext(contextFrom(traceOf(event))))
    .filter((span) => span !== undefined);
  const parent = remotes[0] ? trace.setSpanContext(context.active(), remotes[0]) : context.active();
  const links: Link[] = events.length > 1 ? remotes.map((span) => ({ context: span })) : [];
  const first = events[0]?.envelope;
  const span = tracer.startSpan(
    `process ${first?.type ?? consumer}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        [MESSAGING.system]: NATS_SYSTEM,
        [MESSAGING.operationType]: 'process',
        [MESSAGING.operationName]: 'process',
        [MESSAGING.consumerGroup]: consumer,
        ...(events.length === 1
          ? {
              [MESSAGING.messageId]: first!.id,
              [MESSAGING.destination]: events[0]!.subject,
              [EVENT_TYPE]: first!.type,
              [EVENT_STREAM]: first!.streamId,
            }
          : { [MESSAGING.batchCount]: events.length }),
      },
    },
    parent,
  );
  return runInSpan(span, parent, work);
}
