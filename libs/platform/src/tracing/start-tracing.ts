import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  /** Exports the spans ended so far rather than at the next batch. */
  flush(): Promise<void>;
}

/**
 * Traces to `${endpoint}/v1/traces` (OTLP over HTTP, JSON), the spans named after `service`,
 * W3C trace context in and out. Without an endpoint nothing is installed and the API's no-op
 * tracer stays: spans cost a function call.
 */
export function startTracing(service: string, endpoint: string | undefined): Tracing {
  if (!endpoint) return { flush: async () => undefined };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { flush: () => provider.forceFlush() };
}
