import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Probes and scrapes every few seconds: spans for them would bury the requests that matter. */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/**
 * A service's `main.ts` imports this first: the instrumentations patch http, express, pg and
 * gRPC only when these load after it. Their spans go to the tracer `startTracing` installs once
 * the service's name is known. With no OTLP endpoint nothing is patched.
 */
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? ''),
        // Timers (sync polls, the relay) would each start a trace of their own.
        requireParentforOutgoingSpans: true,
      }),
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new GrpcInstrumentation(),
    ],
  });
}
