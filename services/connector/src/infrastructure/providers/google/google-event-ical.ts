import { createHash } from 'node:crypto';
import type { calendar_v3 } from '@googleapis/calendar';
import ICAL from 'ical.js';
import { bookingToWrite, providerEventIcs } from '../provider-event-ical';

type GoogleEvent = calendar_v3.Schema$Event;

/** Where our copies keep the UID sync knows them by (`extendedProperties.private`). */
export const UID_PROPERTY = 'careserviceUid';

/**
 * A client-chosen event id for a UID: base32hex (`0-9a-v`, 5–1024 characters) as events.insert
 * demands, and derived, so a create retried after a lost answer meets its first try as 409.
 */
export const eventIdFor = (uid: string) =>
  `cs${createHash('sha256').update(uid).digest('hex').slice(0, 40)}`;

const timeOf = (time: calendar_v3.Schema$EventDateTime | undefined): ICAL.Time | null => {
  if (time?.date) return ICAL.Time.fromDateString(time.date);
  if (time?.dateTime) return ICAL.Time.fromJSDate(new Date(time.dateTime), true);
  return null;
};

/**
 * One Google event (an instance, with `singleEvents`) as a small VEVENT, so sync reads every
 * provider the same way. UTC times and all-day dates with Google's exclusive end; an
 * out-of-office block is busy, a working location or `transparency: transparent` is free, and
 * the calendar's own attendee (`self`) having declined is said as the owner's PARTSTAT.
 */
export function eventToIcs(event: GoogleEvent): string | null {
  const start = timeOf(event.start);
  const end = timeOf(event.end);
  if (!event.id || !start || !end) return null;
  const free =
    event.eventType !== 'outOfOffice' &&
    (event.transparency === 'transparent' || event.eventType === 'workingLocation');
  return providerEventIcs({
    product: 'Google Calendar',
    uid: event.extendedProperties?.private?.[UID_PROPERTY] ?? event.id,
    stamp: new Date(event.updated ?? event.created ?? 0),
    start,
    end,
    summary: event.summary,
    tentative: event.status === 'tentative',
    free,
    declined: (event.attendees ?? []).some((a) => a.self && a.responseStatus === 'declined'),
  });
}

/** A booking's iCalendar text (what sync writes) as a Google event marked as ours. */
export function icsToEvent(data: string, uid: string): GoogleEvent {
  const { event, zone, start, end } = bookingToWrite(data);
  return {
    summary: event.summary ?? undefined,
    description: event.description ?? undefined,
    location: event.location ?? undefined,
    start: { dateTime: new Date(start).toISOString(), timeZone: zone.id },
    end: { dateTime: new Date(end).toISOString(), timeZone: zone.id },
    transparency: event.transparent ? 'transparent' : 'opaque',
    status: 'confirmed',
    extendedProperties: { private: { [UID_PROPERTY]: uid } },
  };
}
