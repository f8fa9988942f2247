import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Envelope } from '@cs/contracts';
import { DurableConsumer, traceContextOf } from '@cs/eventing';
import { eventually } from '@cs/testing';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

const backbone = useBackbone();

describe('trace context through the backbone', () => {
  it('stores the recording span with the event, carries it in the headers, and continues it in the consumer and in what the consumer appends', async () => {
    const { store, ctx } = backbone;
    const followUps: Envelope[] = [];
    const consumer = new DurableConsumer(
      {
        name: 'traced',
        stream: 'availability',
        async handleEvent({ envelope }) {
          if (envelope.streamId !== 'pro-traced') return;
          const { events } = await store.append('pro-traced-2', [absence('pro-traced-2', 0)], {
            expectedVersion: 'any',
          });
          followUps.push(...events);
        },
      },
      backbone.runtime(),
    );

    const command = trace.getTracer('test').startSpan('command');
    const { events } = await context.with(trace.setSpan(context.active(), command), () =>
      store.append('pro-traced', [absence('pro-traced', 0)], { expectedVersion: 'any' }),
    );
    command.end();
    const recorded = events[0]!;
    const { traceId, spanId } = command.spanContext();
    expect(recorded.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    expect((await store.readStream('pro-traced'))[0]).toMatchObject({
      traceparent: recorded.traceparent,
    });

    await consumer.start();
    try {
      await eventually(async () => expect(followUps).toHaveLength(1));
    } finally {
      await consumer.stop();
    }

    const spans = exporter.getFinishedSpans();
    const producer = spans.find((s) => s.name === 'send pro.absence_added')!;
    expect(producer).toMatchObject({ kind: SpanKind.PRODUCER });
    expect(producer.spanContext().traceId).toBe(traceId);
    expect(producer.parentSpanContext?.spanId).toBe(spanId);

    const processed = spans.find(
      (s) =>
        s.name === 'process pro.absence_added' &&
        s.attributes['cs.event.stream_id'] === 'pro-traced',
    )!;
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(processed.spanContext().traceId).toBe(traceId);
    expect(processed.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'traced',
      'messaging.message.id': recorded.id,
      'messaging.destination.name': expect.stringMatching(
        /\.cs\.availability\.pro\.absence_added\./,
      ),
    });

    // The message itself carries the producer's context in W3C headers.
    const info = await ctx.jsm.streams.getMessage(ctx.naming.stream('availability'), {
      last_by_subj: producer.attributes['messaging.destination.name'] as string,
    });
    expect(info?.header.get('traceparent')).toBe(
      `00-${traceId}-${producer.spanContext().spanId}-01`,
    );

    // What the consumer appended goes on in the same trace, under the consumer's span.
    expect(followUps[0]!.traceparent).toBe(`00-${traceId}-${processed.spanContext().spanId}-01`);
  });

  it('records nothing when no span is active', async () => {
    expect(traceContextOf()).toEqual({});
    const { events } = await backbone.store.append('pro-untraced', [absence('pro-untraced', 0)], {
      expectedVersion: 'any',
    });
    expect(events[0]).not.toHaveProperty('traceparent');
  });
});
