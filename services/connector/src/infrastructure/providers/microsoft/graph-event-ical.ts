import { localToInstant, resolveZone, UTC } from '@cs/ical';
import ICAL from 'ical.js';
import type { DateTimeTimeZone, Event as GraphEvent } from 'microsoft-graph';
import { bookingToWrite, providerEventIcs } from '../provider-event-ical';

/**
 * Where our copies keep the UID sync knows them by: a named string property in our own
 * namespace (https://learn.microsoft.com/en-us/graph/api/resources/extended-properties-overview).
 */
export const UID_PROPERTY_ID = 'String {3f0b5d8e-6c1a-4f63-9a7e-2d8c4b1e7a50} Name careserviceUid';

/**
 * The `transactionId` of a booking's copy: a retried create returns the first copy instead of a
 * second one (event resource, `transactionId`). It also carries the UID back, because the delta
 * function does not expand extended properties
 * (https://learn.microsoft.com/en-us/graph/api/event-delta#odata-query-parameters).
 */
const TRANSACTION_PREFIX = 'careservice/';
export const transactionIdFor = (uid: string) => `${TRANSACTION_PREFIX}${uid}`;

/** The booking UID our marking names, or null for anyone else's event. */
function markedUid(event: GraphEvent): string | null {
  const property = event.singleValueExtendedProperties?.find(
    (p) => p.id?.toLowerCase() === UID_PROPERTY_ID.toLowerCase(),
  );
  if (property?.value) return property.value;
  const transaction = event.transactionId ?? '';
  return transaction.startsWith(TRANSACTION_PREFIX)
    ? transaction.slice(TRANSACTION_PREFIX.length)
    : null;
}

/**
 * Graph's wall-clock time in a named zone (Windows names such as `W. Europe Standard Time` or
 * IANA ids; UTC unless `Prefer: outlook.timezone` asked otherwise). An all-day event is a
 * floating date with an exclusive end.
 */
function timeOf(time: DateTimeTimeZone | null | undefined, allDay: boolean): ICAL.Time | null {
  if (!time?.dateTime) return null;
  if (allDay) return ICAL.Time.fromDateString(time.dateTime.slice(0, 10));
  const local = Date.parse(`${time.dateTime.slice(0, 19)}Z`);
  if (Number.isNaN(local)) return null;
  const zone = resolveZone(time.timeZone ?? 'UTC') ?? UTC;
  return ICAL.Time.fromJSDate(new Date(localToInstant(zone, local)), true);
}

/**
 * One Graph event (a single event, an occurrence or an exception, as calendarView lists them)
 * as a small VEVENT, so sync reads every provider the same way. `showAs: free` and
 * `workingElsewhere` (like Google's working location) are free; `tentative` blocks as
 * tentative; the mailbox owner's `responseStatus` of `declined` is said as the owner's PARTSTAT.
 */
export function eventToIcs(event: GraphEvent): string | null {
  const allDay = event.isAllDay ?? false;
  const start = timeOf(event.start, allDay);
  const end = timeOf(event.end, allDay);
  if (!event.id || !start || !end || event.isCancelled || event.type === 'seriesMaster')
    return null;
  return providerEventIcs({
    product: 'Microsoft Graph',
    uid: markedUid(event) ?? event.id,
    stamp: new Date(event.lastModifiedDateTime ?? event.createdDateTime ?? 0),
    start,
    end,
    summary: event.subject,
    tentative: event.showAs === 'tentative',
    free: event.showAs === 'free' || event.showAs === 'workingElsewhere',
    declined: event.responseStatus?.response === 'declined',
  });
}

/** Whether two events start and end at the same instants, whatever zones they are written in. */
export function sameTimes(a: GraphEvent, b: GraphEvent): boolean {
  const instant = (time: DateTimeTimeZone | null | undefined) => timeOf(time, false)?.toUnixTime();
  const start = instant(a.start);
  const end = instant(a.end);
  return (
    start !== undefined && end !== undefined && start === instant(b.start) && end === instant(b.end)
  );
}

const graphTime = (instant: number): DateTimeTimeZone => ({
  dateTime: new Date(instant).toISOString().slice(0, 19),
  timeZone: 'UTC',
});

/**
 * A booking's iCalendar text (what sync writes) as a Graph event marked as ours, in UTC: Outlook
 * shows it on each viewer's own clock. `transactionId` is set on create only; Graph keeps it.
 */
export function icsToEvent(data: string, uid: string): GraphEvent {
  const { event, start, end } = bookingToWrite(data);
  return {
    subject: event.summary ?? '',
    body: { contentType: 'text', content: event.description ?? '' },
    ...(event.location ? { location: { displayName: event.location } } : {}),
    start: graphTime(start),
    end: graphTime(end),
    isAllDay: false,
    showAs: event.transparent ? 'free' : 'busy',
    singleValueExtendedProperties: [{ id: UID_PROPERTY_ID, value: uid }],
  };
}
