import { zodToJsonSchema } from 'zod-to-json-schema';
import { type ZodTypeAny } from 'zod';
import {
  allEventDefinitions,
  BusNaming,
  envelopeSchema,
  type EventDefinition,
} from '@cs/contracts';
import { DEAD_LETTER_HEADERS } from '@cs/eventing';

const naming = new BusNaming();

function jsonSchema(schema: ZodTypeAny): Record<string, unknown> {
  // Inlined rather than `$ref`ed: zod-to-json-schema's refs point into its own root.
  const { $schema: _dialect, ...rest } = zodToJsonSchema(schema, {
    $refStrategy: 'none',
    // zod strips unknown keys rather than refusing them; only a strict object forbids them.
    removeAdditionalStrategy: 'strict',
  });
  return rest;
}

const messageId = (definition: EventDefinition) =>
  `${definition.type}.v${definition.schemaVersion}`;

function address(definition: EventDefinition): string {
  const unpartitioned = naming.subject(definition.context, definition.type);
  return definition.proIdOf ? unpartitioned.replace(/none$/, '{partition}') : unpartitioned;
}

const partitionParameter = {
  description:
    "`p0`–`p15`: FNV-1a of the event's Pro id modulo 16 (`partitionOf`), so one Pro's events " +
    'share a partition; `none` when the event names no Pro.',
  enum: [...Array.from({ length: naming.partitions }, (_, i) => `p${i}`), 'none'],
};

function channel(definition: EventDefinition) {
  const id = messageId(definition);
  return {
    address: address(definition),
    title: definition.type,
    description:
      `Stored in the JetStream stream \`${naming.stream(definition.context)}\` ` +
      `(subjects \`${naming.streamSubjects(definition.context)}\`).`,
    messages: { [id]: { $ref: `#/components/messages/${id}` } },
    ...(definition.proIdOf ? { parameters: { partition: partitionParameter } } : {}),
  };
}

function message(definition: EventDefinition) {
  const older =
    definition.schemaVersion > 1
      ? ` Versions 1–${definition.schemaVersion - 1} still in the streams are upcast on read to this one.`
      : '';
  return {
    name: definition.type,
    title: `${definition.type} v${definition.schemaVersion}`,
    summary: `Recorded by the ${definition.context} service.${older}`,
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/EventHeaders' },
    payload: {
      allOf: [
        { $ref: '#/components/schemas/Envelope' },
        {
          type: 'object',
          properties: {
            type: { const: definition.type },
            schemaVersion: { const: definition.schemaVersion },
            data: jsonSchema(definition.schema),
          },
        },
      ],
    },
  };
}

const eventHeaders = {
  type: 'object',
  properties: {
    'Nats-Msg-Id': {
      type: 'string',
      format: 'uuid',
      description:
        "The event's `id`: JetStream drops a republished event within the duplicate window.",
    },
    traceparent: {
      type: 'string',
      description:
        'W3C trace context of the publishing span, when the event was recorded in a trace; ' +
        'consumers continue it (docs/design.md §6.1).',
    },
    tracestate: { type: 'string', description: 'W3C trace state that goes with `traceparent`.' },
  },
  required: ['Nats-Msg-Id'],
};

const deadLetterChannel = {
  address: naming.deadLetterSubject('{consumer}'),
  title: 'dead letters',
  description:
    `Stored in \`${naming.deadLetterStream}\` (subjects \`${naming.deadLetterSubjects}\`): ` +
    'events a durable consumer could not apply, byte for byte as it received them.',
  parameters: {
    consumer: { description: "The durable consumer's name, dots replaced by `_`." },
  },
  messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
};

const deadLetterMessage = {
  name: 'deadLetter',
  title: 'dead letter',
  contentType: 'application/json',
  headers: {
    type: 'object',
    properties: {
      [DEAD_LETTER_HEADERS.reason]: {
        type: 'string',
        description: 'Why, at most 1,000 characters.',
      },
      [DEAD_LETTER_HEADERS.consumer]: { type: 'string' },
      [DEAD_LETTER_HEADERS.subject]: { type: 'string' },
      [DEAD_LETTER_HEADERS.streamSeq]: { type: 'string' },
    },
    required: Object.values(DEAD_LETTER_HEADERS),
  },
  payload: {
    description: 'The original message, unchanged: an envelope, or what failed to parse as one.',
  },
};

/** docs/api/asyncapi.json: every event type on the bus, from the contracts that validate them. */
export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = { deadLetters: deadLetterChannel };
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = { deadLetter: deadLetterMessage };
  for (const definition of allEventDefinitions) {
    const id = messageId(definition);
    channels[definition.type] = channel(definition);
    messages[id] = message(definition);
    operations[`${definition.type}.send`] = {
      action: 'send',
      title: `${definition.context} records ${definition.type}`,
      channel: { $ref: `#/channels/${definition.type}` },
      messages: [{ $ref: `#/channels/${definition.type}/messages/${id}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CareService Calendar events',
      version: '1',
      description:
        'Generated by `npm run docs:generate` from `libs/contracts`; do not edit by hand. Every ' +
        'event travels in the envelope `Envelope`, its `data` checked against the schema of its ' +
        "type and version. A service's relay publishes its outbox at least once and each " +
        "aggregate's events in order; JetStream drops duplicates by `Nats-Msg-Id` (docs/design.md).",
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: '127.0.0.1:4222',
        protocol: 'nats',
        description:
          'NATS with JetStream (`NATS_URL`); with `NATS_PREFIX` set, subjects start with ' +
          '`<prefix>.` and streams with `<PREFIX>_`.',
      },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: { Envelope: jsonSchema(envelopeSchema), EventHeaders: eventHeaders },
    },
  };
}
