import { context, type Context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/** The W3C trace context an event carries (envelope fields and NATS headers of the same names). */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

function pick(carrier: Readonly<Record<string, unknown>>): TraceContext {
  const picked: TraceContext = {};
  if (typeof carrier.traceparent === 'string') picked.traceparent = carrier.traceparent;
  if (typeof carrier.tracestate === 'string') picked.tracestate = carrier.tracestate;
  return picked;
}

/**
 * The trace context of `from` (the active one unless told): empty when tracing is off, since
 * no propagator is registered then, and when no span is active.
 */
export function traceContextOf(from: Context = context.active()): TraceContext {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return pick(carrier);
}

/** The remote span a stored or received trace context names, as a parent or link. */
export function contextFrom(trace: TraceContext): Context {
  return propagation.extract(ROOT_CONTEXT, pick(trace as Record<string, unknown>));
}
