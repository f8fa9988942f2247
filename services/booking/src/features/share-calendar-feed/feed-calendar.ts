import { type OutgoingEvent, serializeCalendar } from '@cs/ical';
import { placeIn } from '../../infrastructure/booking-details';
import { type BookingRow } from '../../infrastructure/booking-reads';

/** The UID the sync service gives a mirrored booking, so a calendar that has both sees one event. */
const bookingUid = (bookingId: string) => `booking-${bookingId}@bookings.careservice`;

const ORGANIZER = { email: 'bookings@careservice.example', name: 'CareService' };

/** The Pro's bookings as an iCalendar feed (`METHOD:PUBLISH`): holds are tentative. */
export function feedCalendar(bookings: readonly BookingRow[], timeZone: string, now: number) {
  const events: OutgoingEvent[] = bookings.map((b) => {
    const client = b.details.client;
    return {
      uid: bookingUid(b.booking_id),
      sequence: b.version,
      start: b.start_at.getTime(),
      end: b.end_at.getTime(),
      timeZone,
      summary: client?.name ? `${b.service_id}: ${client.name}` : b.service_id,
      description: client?.phone ? `Phone: ${client.phone}` : null,
      location: b.details.location?.address ?? null,
      geo: placeIn(b.details.location),
      status: b.status === 'held' ? 'TENTATIVE' : 'CONFIRMED',
      organizer: ORGANIZER,
    };
  });
  return serializeCalendar(events, { method: 'PUBLISH', now });
}
