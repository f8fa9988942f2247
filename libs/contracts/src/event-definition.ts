import type { z } from 'zod';
import type { Context } from './envelope';

/** Turns the data of version N into the data of version N + 1. */
export type Upcaster = (data: unknown) => unknown;

export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodTypeAny = z.ZodTypeAny,
> {
  readonly type: TType;
  readonly context: Context;
  readonly schemaVersion: number;
  readonly schema: TSchema;
  /** Keyed by the version they upgrade from; old events are upcast on read, never rewritten. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /** The Pro an event belongs to, which decides its subject's partition token (docs/design.md §8). */
  proIdOf?(data: z.infer<TSchema>): string | undefined;
}

export function defineEvent<TType extends string, TSchema extends z.ZodTypeAny>(
  definition: Omit<EventDefinition<TType, TSchema>, 'upcasters'> & {
    upcasters?: Record<number, Upcaster>;
  },
): EventDefinition<TType, TSchema> {
  for (let version = 1; version < definition.schemaVersion; version++) {
    if (!definition.upcasters?.[version]) {
      throw new Error(
        `${definition.type} v${definition.schemaVersion} lacks an upcaster from v${version}`,
      );
    }
  }
  return { upcasters: {}, ...definition };
}

export type EventData<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

/** The `{ type, data }` pairs that a set of definitions allows, as a discriminated union. */
export type EventOf<D extends EventDefinition> =
  D extends EventDefinition<infer T, infer S> ? { type: T; data: z.infer<S> } : never;
