import { serializeCalendar } from '@cs/ical';

/** The UID of a booking's copy in a Pro's calendar: derived, so a retried create finds its first try. */
export const bookingUid = (bookingId: string) => `booking-${bookingId}@bookings.careservice`;

export const isBookingUid = (uid: string) => uid.endsWith('@bookings.careservice');

export interface MirroredBooking {
  bookingId: string;
  serviceId: string;
  start: Date;
  end: Date;
  timeZone: string;
  sequence: number;
}

/** Marks our copies for people and other tools; the inbound side recognises them by UID. */
const MARKER = 'X-CARESERVICE-BOOKING-ID';

/** The booking as an iCalendar resource for the Pro's calendar. */
export function bookingIcs(booking: MirroredBooking, now: number): string {
  const text = serializeCalendar(
    [
      {
        uid: bookingUid(booking.bookingId),
        sequence: booking.sequence,
        start: booking.start.getTime(),
        end: booking.end.getTime(),
        timeZone: booking.timeZone,
        summary: `CareService: ${booking.serviceId}`,
        status: 'CONFIRMED',
        organizer: { email: 'bookings@careservice.example', name: 'CareService' },
      },
    ],
    { now },
  );
  return text.replace('END:VEVENT', `${MARKER}:${booking.bookingId}\r\nEND:VEVENT`);
}
