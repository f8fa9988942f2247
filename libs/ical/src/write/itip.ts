import { type OutgoingEvent, serializeCalendar } from './serialize';

/**
 * RFC 5546 invitation: METHOD:REQUEST, the organizer, every attendee asked to reply.
 * Send a new REQUEST with a higher SEQUENCE when the booking changes.
 */
export function itipRequest(event: OutgoingEvent, now: number, prodId?: string): string {
  const attendees = (event.attendees ?? []).map((a) => ({
    ...a,
    partstat: a.partstat ?? ('NEEDS-ACTION' as const),
    rsvp: a.rsvp ?? true,
  }));
  return serializeCalendar([{ ...event, status: 'CONFIRMED', attendees }], {
    method: 'REQUEST',
    now,
    prodId,
  });
}

/**
 * RFC 5546 cancellation: METHOD:CANCEL with the same UID and a SEQUENCE above the last
 * REQUEST's, STATUS:CANCELLED, to the same attendees.
 */
export function itipCancel(event: OutgoingEvent, now: number, prodId?: string): string {
  return serializeCalendar([{ ...event, status: 'CANCELLED' }], { method: 'CANCEL', now, prodId });
}
