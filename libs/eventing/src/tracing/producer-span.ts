import { SpanKind, trace } from '@opentelemetry/api';
import { EVENT_TYPE, MESSAGING, NATS_SYSTEM } from './messaging-attributes';
import { contextFrom, type TraceContext, traceContextOf } from './trace-context';
import { runInSpan } from './run-in-span';

const tracer = trace.getTracer('@cs/eventing');

export interface Outgoing {
  eventId: string;
  type: string;
  subject: string;
  /** The trace context stored with the event when it was recorded. */
  trace: TraceContext;
}

/**
 * Publishes in a PRODUCER span that is a child of the span which recorded the event, and hands
 * `publish` that span's context for the message headers. An event recorded outside any trace
 * (or with tracing off) is published as it is, with no span and no headers.
 */
export async function inProducerSpan<T>(
  outgoing: Outgoing,
  publish: (headers: TraceContext) => Promise<T>,
): Promise<T> {
  if (!outgoing.trace.traceparent) return publish({});
  const parent = contextFrom(outgoing.trace);
  const span = tracer.startSpan(
    `send ${outgoing.type}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MESSAGING.system]: NATS_SYSTEM,
        [MESSAGING.operationType]: 'send',
        [MESSAGING.operationName]: 'send',
        [MESSAGING.destination]: outgoing.subject,
        [MESSAGING.messageId]: outgoing.eventId,
        [EVENT_TYPE]: outgoing.type,
      },
    },
    parent,
  );
  return runInSpan(span, parent, (own) => {
    const injected = traceContextOf(own);
    // With tracing off nothing is injected: the stored context still goes on to the consumers.
    return publish(injected.traceparent ? injected : outgoing.trace);
  });
}
