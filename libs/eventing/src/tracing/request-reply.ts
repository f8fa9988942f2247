import { SpanKind, trace } from '@opentelemetry/api';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { inClientSpan } from './client-span';
import { MESSAGING, NATS_SYSTEM } from './messaging-attributes';
import { contextFrom, traceContextOf } from './trace-context';
import { traceHeaders, traceOfHeaders } from './trace-headers';
import { runInSpan } from './run-in-span';

const tracer = trace.getTracer('@cs/eventing');

/**
 * A NATS request in a CLIENT span `request <name>` (inside a trace only), its context in the
 * request's `traceparent`/`tracestate` headers so the answering side continues the trace.
 */
export function tracedRequest(
  nc: NatsConnection,
  name: string,
  subject: string,
  payload: string,
  options: { timeout: number },
): Promise<Msg> {
  return inClientSpan(
    `request ${name}`,
    {
      [MESSAGING.system]: NATS_SYSTEM,
      [MESSAGING.operationType]: 'send',
      [MESSAGING.operationName]: 'request',
      [MESSAGING.destination]: subject,
    },
    () => {
      const headers = traceHeaders(traceContextOf());
      return nc.request(subject, payload, headers ? { ...options, headers } : options);
    },
  );
}

/**
 * Answers a request in a SERVER span `reply <name>`, child of the requester's span when its
 * headers carry one; a request from outside any trace is answered without a span.
 */
export async function inReplySpan<T>(name: string, msg: Msg, work: () => Promise<T>): Promise<T> {
  const incoming = traceOfHeaders(msg.headers);
  if (!incoming) return work();
  const parent = contextFrom(incoming);
  const span = tracer.startSpan(
    `reply ${name}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [MESSAGING.system]: NATS_SYSTEM,
        [MESSAGING.operationType]: 'process',
        [MESSAGING.operationName]: 'reply',
        [MESSAGING.destination]: msg.subject,
      },
    },
    parent,
  );
  return runInSpan(span, parent, work);
}
