import {
  type IcalEvent,
  localToInstant,
  MS_PER_DAY,
  parseCalendar,
  type TimeZone,
  UTC,
} from '@cs/ical';
import ICAL from 'ical.js';
import { ProviderError } from '../../domain/provider/provider-error';

/**
 * The cal-address that names the calendar's owner in the VEVENTs built from an API provider's
 * events, which say the owner's own answer (Google `attendees[].self`, Graph `responseStatus`)
 * without needing their address; the `owner` the connector reports for such a calendar.
 */
export const API_OWNER_ADDRESS = 'urn:x-careservice:calendar-owner';

/** What sync needs of one event read from a provider's API, in iCalendar terms. */
export interface ProviderEvent {
  /** Names the provider in the PRODID. */
  product: string;
  uid: string;
  /** When the provider last changed the event. */
  stamp: Date;
  start: ICAL.Time;
  end: ICAL.Time;
  summary: string | null | undefined;
  tentative: boolean;
  /** The event does not block the Pro's time (TRANSP:TRANSPARENT). */
  free: boolean;
  /** The Pro declined the invitation: an owner ATTENDEE with PARTSTAT=DECLINED. */
  declined: boolean;
}

/** One provider event as a small VEVENT, so sync reads every provider the same way. */
export function providerEventIcs(event: ProviderEvent): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', `-//CareService//${event.product}//EN`);
  calendar.addPropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(event.stamp, true));
  vevent.addPropertyWithValue('dtstart', event.start);
  vevent.addPropertyWithValue('dtend', event.end);
  if (event.summary) vevent.addPropertyWithValue('summary', event.summary);
  vevent.addPropertyWithValue('status', event.tentative ? 'TENTATIVE' : 'CONFIRMED');
  vevent.addPropertyWithValue('transp', event.free ? 'TRANSPARENT' : 'OPAQUE');
  if (event.declined)
    vevent.addPropertyWithValue('attendee', API_OWNER_ADDRESS).setParameter('partstat', 'DECLINED');
  calendar.addSubcomponent(vevent);
  return calendar.toString() + '\r\n';
}

/** A booking as sync writes it, read for a provider's own event shape. */
export interface BookingToWrite {
  event: IcalEvent;
  /** The zone the booking is written in (UTC for a floating time). */
  zone: TimeZone;
  start: number;
  end: number;
}

/** A booking's iCalendar text (what sync writes): one timed VEVENT, with its instants. */
export function bookingToWrite(data: string): BookingToWrite {
  const event = parseCalendar(data).events[0];
  if (!event || event.start.kind === 'date')
    throw new ProviderError('invalid_data', 'a booking must be one timed VEVENT');
  const zone = event.start.kind === 'zoned' ? event.start.zone : UTC;
  const start = localToInstant(zone, event.start.localMs);
  const end =
    localToInstant(zone, event.start.localMs + event.duration.days * MS_PER_DAY) +
    event.duration.ms;
  return { event, zone, start, end };
}
