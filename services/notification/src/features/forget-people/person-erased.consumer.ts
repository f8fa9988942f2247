import { ERASED, type EventData, type personErased } from '@cs/contracts';
import { type ConsumerDefinition } from '@cs/eventing';

/**
 * `person.erased` (docs/adr/0008): what this service keeps in clear about the person goes too.
 * Their registered contact is deleted and the addresses their messages went to read `[erased]`;
 * what bookings carried stays sealed and now opens to `[erased]`, except a place recorded before
 * sealing, which goes.
 */
export const personErasedConsumer = (): ConsumerDefinition => ({
  name: 'notification-person-erased',
  stream: 'booking',
  async handleEvent({ envelope }, tx) {
    if (envelope.type !== 'person.erased') return;
    const { kind, personId } = envelope.data as EventData<typeof personErased>;
    await tx.query('DELETE FROM contacts WHERE kind = $1 AND id = $2', [kind, personId]);
    // A delivery error may quote the address it was refused at.
    await tx.query(
      `UPDATE notifications SET to_address = CASE WHEN to_address IS NULL THEN NULL ELSE $3 END,
              last_error = CASE WHEN last_error IS NULL THEN NULL ELSE $3 END
        WHERE recipient_kind = $1 AND recipient_id = $2`,
      [kind, personId, ERASED],
    );
    if (kind !== 'client') return;
    // Rows copied from events recorded before sealing hold the client's place in clear.
    await tx.query(
      `UPDATE bookings SET location = NULL
        WHERE client_id = $1 AND location IS NOT NULL AND NOT (location->'point' ? 'sealed')`,
      [personId],
    );
    await tx.query(
      `UPDATE notifications SET content = jsonb_set(content, '{booking,location}', 'null')
        WHERE content->'booking'->>'clientId' = $1
          AND jsonb_typeof(content->'booking'->'location') = 'object'
          AND NOT (content->'booking'->'location'->'point' ? 'sealed')`,
      [personId],
    );
  },
});
