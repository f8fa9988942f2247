import ICAL from 'ical.js';
import { IcalError } from '../errors';
import { type GeoLocation } from '../model';
import { parseRecurrenceRule } from '../recurrence/rule';
import { MS_PER_DAY, civilDate } from '../time/civil';
import { type TimeZone, ianaZone, instantToLocal } from '../time/time-zone';
import { foldLines } from './fold';
import { vtimezoneFor } from './vtimezone';

export interface OutgoingAttendee {
  readonly email: string;
  readonly name?: string | null;
  readonly partstat?: 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';
  readonly role?: 'REQ-PARTICIPANT' | 'OPT-PARTICIPANT' | 'CHAIR';
  readonly rsvp?: boolean;
}

/** An event we publish: a booking as it should appear in someone's calendar. */
export interface OutgoingEvent {
  readonly uid: string;
  /** RFC 5546: raised on every significant change; the booking's version fits. */
  readonly sequence: number;
  readonly start: number;
  readonly end: number;
  /** IANA zone the times are shown in; a VTIMEZONE for it is included. */
  readonly timeZone: string;
  readonly summary: string;
  readonly description?: string | null;
  readonly location?: string | null;
  readonly geo?: GeoLocation | null;
  readonly status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  readonly transparent?: boolean;
  readonly organizer: { readonly email: string; readonly name?: string | null };
  readonly attendees?: readonly OutgoingAttendee[];
  readonly rrule?: string | null;
  readonly exdates?: readonly number[];
  readonly recurrenceId?: number | null;
}

export interface SerializeOptions {
  readonly method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  readonly prodId?: string;
  /** DTSTAMP: when this text is produced (the caller's `now`). */
  readonly now: number;
}

export const DEFAULT_PRODID = '-//CareService//CareService Calendar//EN';

/** iCalendar text for events, with one VTIMEZONE per zone used, in folded CRLF lines. */
export function serializeCalendar(
  events: readonly OutgoingEvent[],
  options: SerializeOptions,
): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', options.prodId ?? DEFAULT_PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  if (options.method) calendar.addPropertyWithValue('method', options.method);

  const zones = new Map<string, { zone: TimeZone; year: number }>();
  for (const event of events) {
    const zone = ianaZone(event.timeZone);
    if (!zone)
      throw new IcalError('unknown-tzid', `"${event.timeZone}" is not an IANA zone`, null, 'TZID');
    if (!zones.has(zone.id))
      zones.set(zone.id, {
        zone,
        year: civilDate(Math.floor(instantToLocal(zone, event.start) / MS_PER_DAY)).year,
      });
  }
  for (const { zone, year } of zones.values()) calendar.addSubcomponent(vtimezoneFor(zone, year));
  for (const event of events)
    calendar.addSubcomponent(vevent(event, zones.get(event.timeZone)!.zone, options.now));
  return foldLines(calendar.toString()) + '\r\n';
}

function vevent(event: OutgoingEvent, zone: TimeZone, now: number): ICAL.Component {
  const component = new ICAL.Component('vevent');
  component.addPropertyWithValue('uid', event.uid);
  component.addPropertyWithValue('dtstamp', utc(now));
  component.addPropertyWithValue('sequence', event.sequence);
  zoned(component, 'dtstart', event.start, zone);
  zoned(component, 'dtend', event.end, zone);
  if (event.recurrenceId != null) zoned(component, 'recurrence-id', event.recurrenceId, zone);
  if (event.rrule)
    component.addPropertyWithValue(
      'rrule',
      ICAL.Recur.fromString(parseRecurrenceRule(event.rrule).text),
    );
  for (const exdate of event.exdates ?? []) zoned(component, 'exdate', exdate, zone);
  component.addPropertyWithValue('summary', event.summary);
  if (event.description) component.addPropertyWithValue('description', event.description);
  if (event.location) component.addPropertyWithValue('location', event.location);
  if (event.geo) component.addPropertyWithValue('geo', [event.geo.lat, event.geo.lng]);
  component.addPropertyWithValue('status', event.status ?? 'CONFIRMED');
  component.addPropertyWithValue('transp', event.transparent ? 'TRANSPARENT' : 'OPAQUE');

  const organizer = component.addPropertyWithValue('organizer', `mailto:${event.organizer.email}`);
  if (event.organizer.name) organizer.setParameter('cn', event.organizer.name);
  for (const attendee of event.attendees ?? []) {
    const property = component.addPropertyWithValue('attendee', `mailto:${attendee.email}`);
    if (attendee.name) property.setParameter('cn', attendee.name);
    property.setParameter('role', attendee.role ?? 'REQ-PARTICIPANT');
    property.setParameter('partstat', attendee.partstat ?? 'NEEDS-ACTION');
    if (attendee.rsvp) property.setParameter('rsvp', 'TRUE');
  }
  return component;
}

function zoned(component: ICAL.Component, name: string, instant: number, zone: TimeZone): void {
  const wall = new Date(instantToLocal(zone, instant));
  const property = component.addPropertyWithValue(
    name,
    ICAL.Time.fromData({
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    }),
  );
  property.setParameter('tzid', zone.id);
}

function utc(instant: number): ICAL.Time {
  return ICAL.Time.fromJSDate(new Date(instant), true);
}
