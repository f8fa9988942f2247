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

export const peopleEvents = [personErased];
