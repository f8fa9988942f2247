import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { TraceContext } from './trace-context';

const NAMES = ['traceparent', 'tracestate'] as const;

/** NATS headers carrying a trace context, or none when there is nothing to carry. */
export function traceHeaders(trace: TraceContext): MsgHdrs | undefined {
  if (!trace.traceparent) return undefined;
  const h = headers();
  for (const name of NAMES) {
    const value = trace[name];
    if (value) h.set(name, value);
  }
  return h;
}

/** The trace context a message's headers carry, if any. */
export function traceOfHeaders(h: MsgHdrs | undefined): TraceContext | undefined {
  const traceparent = h?.get('traceparent');
  if (!traceparent) return undefined;
  const tracestate = h?.get('tracestate');
  return tracestate ? { traceparent, tracestate } : { traceparent };
}
