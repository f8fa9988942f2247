import { z } from 'zod';

export const contexts = ['connector', 'sync', 'availability', 'booking', 'notification'] as const;
export type Context = (typeof contexts)[number];

export const actorSchema = z.object({
  kind: z.enum(['service', 'pro', 'client', 'system', 'provider']),
  id: z.string().min(1),
});
export type Actor = z.infer<typeof actorSchema>;

export const systemActor = (id: string): Actor => ({ kind: 'system', id });

const instant = z.string().datetime({ offset: true });

/** The envelope every event travels in (docs/design.md §2); `data` is checked against the event's own schema. */
export const envelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/, 'expected <aggregate>.<event>'),
  schemaVersion: z.number().int().positive(),
  streamId: z.string().min(1),
  streamVersion: z.number().int().positive(),
  occurredAt: instant,
  recordedAt: instant,
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  /**
   * W3C trace context of the span that recorded the event, so the work it causes joins the same
   * trace; absent when tracing is off and in events recorded before it existed.
   */
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'expected a W3C traceparent')
    .optional(),
  tracestate: z.string().max(512).optional(),
  actor: actorSchema,
  data: z.unknown(),
});

export type RawEnvelope = z.infer<typeof envelopeSchema>;

export interface Envelope<TType extends string = string, TData = unknown> extends Omit<
  RawEnvelope,
  'type' | 'data'
> {
  type: TType;
  data: TData;
}
