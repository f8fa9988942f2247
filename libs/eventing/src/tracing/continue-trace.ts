import { trace } from '@opentelemetry/api';
import { contextFrom, type TraceContext } from './trace-context';
import { runInSpan } from './run-in-span';

const tracer = trace.getTracer('@cs/eventing');

/**
 * Runs work deferred from an event (a queued write, a scheduled send) in a span continuing the
 * trace stored with it, so the trace shows the work where it really happened.
 */
export async function continueTrace<T>(
  name: string,
  stored: TraceContext | null | undefined,
  work: () => Promise<T>,
): Promise<T> {
  // Nothing to continue: a span here would start a trace of its own on every timer tick.
  if (!stored?.traceparent) return work();
  const parent = contextFrom(stored);
  const span = tracer.startSpan(name, {}, parent);
  return runInSpan(span, parent, work);
}
