import type { z } from 'zod';
import { envelopeSchema, type Envelope } from './envelope';
import type { EventDefinition, EventOf } from './event-definition';

/** Why an event was refused; goes with the message to the dead-letter subject. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const describe = (error: z.ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));

export type RegisteredEnvelope<D extends EventDefinition> = D extends EventDefinition
  ? Envelope<EventOf<D>['type'], EventOf<D>['data']>
  : never;

/** All known event types: validates events on publish and on consume and upcasts old versions. */
export class EventRegistry<D extends EventDefinition = EventDefinition> {
  private readonly byType = new Map<string, D>();

  constructor(definitions: readonly D[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type))
        throw new Error(`event type ${definition.type} defined twice`);
      this.byType.set(definition.type, definition);
    }
  }

  definition(type: string): D {
    const definition = this.byType.get(type);
    if (!definition) throw new InvalidEventError(`unknown event type "${type}"`);
    return definition;
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  /** Checks new event data before it is stored; returns the data as the schema normalises it. */
  validateData(type: string, data: unknown): unknown {
    const definition = this.definition(type);
    const result = definition.schema.safeParse(data);
    if (!result.success) {
      throw new InvalidEventError(
        `invalid data for ${type} v${definition.schemaVersion}`,
        describe(result.error),
      );
    }
    return result.data;
  }

  /**
   * Stored event data at the current version of its schema, read through the schema: that also
   * gives back the schema's key order, which `jsonb` does not keep.
   */
  upcastStored(type: string, schemaVersion: number, data: unknown): unknown {
    const definition = this.definition(type);
    return this.validateData(type, this.upcast(definition, schemaVersion, data));
  }

  /** Parses an envelope from storage or the bus, upcasting old versions to the current one. */
  parse(raw: unknown): RegisteredEnvelope<D> {
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success)
      throw new InvalidEventError('malformed event envelope', describe(envelope.error));
    const definition = this.definition(envelope.data.type);
    const { schemaVersion } = envelope.data;
    return {
      ...envelope.data,
      schemaVersion: definition.schemaVersion,
      data: this.validateData(
        definition.type,
        this.upcast(definition, schemaVersion, envelope.data.data),
      ),
    } as RegisteredEnvelope<D>;
  }

  private upcast(definition: D, schemaVersion: number, data: unknown): unknown {
    if (schemaVersion > definition.schemaVersion) {
      throw new InvalidEventError(
        `${definition.type} v${schemaVersion} is newer than this service knows (v${definition.schemaVersion})`,
      );
    }
    let upcast = data;
    for (let version = schemaVersion; version < definition.schemaVersion; version++) {
      upcast = definition.upcasters[version]!(upcast);
    }
    return upcast;
  }
}
