import { type OutgoingAttendee, itipCancel, itipRequest } from '@cs/ical';

/** The booking's iCalendar UID: stable, so every update and cancellation replaces the same event. */
export const bookingUid = (bookingId: string): string =>
  `booking-${bookingId}@bookings.careservice`;

export interface InvitationInput {
  method: 'REQUEST' | 'CANCEL';
  bookingId: string;
  sequence: number;
  start: number;
  end: number;
  timeZone: string;
  summary: string;
  address: string | null;
  geo: { lat: number; lng: number } | null;
  organizer: { email: string; name: string };
  attendees: readonly OutgoingAttendee[];
}

/** The RFC 5546 message (REQUEST or CANCEL) that calendar clients show as an invitation. */
export function invitationIcs(input: InvitationInput, now: number): string {
  const event = {
    uid: bookingUid(input.bookingId),
    sequence: input.sequence,
    start: input.start,
    end: input.end,
    timeZone: input.timeZone,
    summary: input.summary,
    location: input.address,
    geo: input.geo,
    organizer: input.organizer,
    attendees: input.attendees,
  };
  return input.method === 'REQUEST' ? itipRequest(event, now) : itipCancel(event, now);
}
