import { expandEvent, parseCalendar, UTC } from '@cs/ical';

/** A booking as sync writes it: one timed VEVENT of 45 minutes from `start` (UTC, basic format). */
export const bookingIcs = (uid: string, start: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261120T080000Z',
    `DTSTART:${start}`,
    'DURATION:PT45M',
    'SUMMARY:CareService: wound-care',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** The same booking on the Pro's wall clock: 3 December 2026, 10:00–10:45 in Amsterdam. */
export const ZONED_BOOKING_UID = 'booking-1@bookings.careservice';
export const ZONED_BOOKING = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//t//t//EN',
  'BEGIN:VEVENT',
  `UID:${ZONED_BOOKING_UID}`,
  'DTSTAMP:20261120T080000Z',
  'DTSTART;TZID=Europe/Amsterdam:20261203T100000',
  'DTEND;TZID=Europe/Amsterdam:20261203T104500',
  'SUMMARY:CareService: wound-care',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** The first VEVENT of what an adapter made of a provider event. */
export const firstEvent = (ics: string | null) => parseCalendar(ics!).events[0]!;

/**
 * The instances the text's first VEVENT gives in 2026 and 2027, floating times read in UTC; which
 * of them are busy is availability's to say (`busyTime` in libs/scheduling).
 */
export const instancesOf = (ics: string | null) =>
  expandEvent(
    firstEvent(ics),
    [],
    { start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2028-01-01T00:00:00Z') },
    UTC,
  );
