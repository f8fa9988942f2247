import { type Attributes, context, SpanKind, trace } from '@opentelemetry/api';
import { runInSpan } from './run-in-span';

const tracer = trace.getTracer('@cs/eventing');

/**
 * Runs a call to another system (a request to a service, a mail to an SMTP server) in a CLIENT
 * span, child of the active one. Outside a trace it runs bare: a timer's call would otherwise
 * start a trace of its own on every tick.
 */
export async function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  call: () => Promise<T>,
): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)) return call();
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  return runInSpan(span, parent, call);
}
