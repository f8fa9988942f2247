import { type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

/** Runs work as the span's, records a failure on it and ends it: every span here ends this way. */
export async function runInSpan<T>(
  span: Span,
  parent: Context,
  work: (active: Context) => Promise<T>,
): Promise<T> {
  const active = trace.setSpan(parent, span);
  try {
    return await context.with(active, () => work(active));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
