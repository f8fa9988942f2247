import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { personKinds } from '../personal-data';
import { id } from './common';

/**
 * A person's keys were destroyed (`DELETE /v1/people/{kind}/{id}`): everything sealed for them
 * now reads as erased. Holds no personal data itself; services that keep copies in clear drop them.
 */
export const personErased = defineEvent({
  type: 'person.erased',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({
    kind: z.enum(personKinds),
    personId: id,
    /** Key versions destroyed; 0 when the person had none. */
    keysDestroyed: z.number().int().min(0),
  }),
});

/** One event whose personal data was sealed in place: which, and what it was written as. */
const resealedEvent = z.object({
  eventId: id,
  streamId: id,
  streamVersion: z.number().int().positive(),
  type: z.string().min(1),
  /** The schema version it was recorded with; it now holds the current version's sealed form. */
  fromSchemaVersion: z.number().int().positive(),
});

const historyResealed = z.object({
  kind: z.enum(personKinds),
  personId: id,
  /** Why the operator rewrote history (`npm run personal-data:reseal -- --reason`). */
  reason: z.string().min(1).max(500),
  events: z.array(resealedEvent).min(1),
});

/**
 * Events recorded before their personal data was sealed (docs/adr/0017) had it sealed in place by
 * the operator's tool: the audit trail of that rewrite, in the service whose events it rewrote.
 * Holds no personal data itself.
 */
export const personHistoryResealed = defineEvent({
  type: 'person.history_resealed',
  context: 'booking',
  schemaVersion: 1,
  schema: historyResealed,
});

/** The same, for the Pros' settings in the availability service's own log. */
export const proHistoryResealed = defineEvent({
  type: 'pro.history_resealed',
  context: 'availability',
  schemaVersion: 1,
  schema: historyResealed,
});

export const peopleEvents = [personErased, personHistoryResealed, proHistoryResealed];
