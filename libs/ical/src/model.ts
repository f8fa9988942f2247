import { type IcalError } from './errors';
import { type RecurrenceRule } from './recurrence/rule';
import { type TimeZone } from './time/time-zone';

/**
 * An iCalendar DATE or DATE-TIME as written: a date (all-day), a floating wall-clock time
 * (read in whoever's zone looks at it), or a wall-clock time in a known zone (UTC included).
 * `localMs` is the wall-clock time read as if it were UTC.
 */
export type IcalTime =
  | { readonly kind: 'date'; readonly localMs: number }
  | { readonly kind: 'floating'; readonly localMs: number }
  | { readonly kind: 'zoned'; readonly localMs: number; readonly zone: TimeZone };

/** A length as RFC 5545 counts it: whole days are nominal (DST-proof), the rest exact. */
export interface IcalDuration {
  readonly days: number;
  readonly ms: number;
}

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';
export type ParticipationStatus =
  'needs-action' | 'accepted' | 'declined' | 'tentative' | 'delegated';

export interface Attendee {
  readonly email: string;
  readonly name: string | null;
  readonly partstat: ParticipationStatus;
  readonly role: string | null;
}

export interface Organizer {
  readonly email: string;
  readonly name: string | null;
}

export interface GeoLocation {
  readonly lat: number;
  readonly lng: number;
}

export interface IcalEvent {
  readonly uid: string;
  /** Line of the event's BEGIN:VEVENT in the source text. */
  readonly line: number;
  readonly start: IcalTime;
  readonly duration: IcalDuration;
  readonly allDay: boolean;
  readonly summary: string | null;
  readonly description: string | null;
  readonly location: string | null;
  readonly geo: GeoLocation | null;
  readonly status: EventStatus;
  readonly transparent: boolean;
  readonly sequence: number;
  readonly organizer: Organizer | null;
  readonly attendees: readonly Attendee[];
  readonly rrule: RecurrenceRule | null;
  readonly rdates: readonly IcalTime[];
  readonly exdates: readonly IcalTime[];
  readonly recurrenceId: IcalTime | null;
  readonly thisAndFuture: boolean;
}

export interface ParsedCalendar {
  readonly events: readonly IcalEvent[];
  readonly errors: readonly IcalError[];
  readonly method: string | null;
  /** `X-WR-TIMEZONE` (Google, Apple): the zone in which floating times are meant. */
  readonly calendarZone: TimeZone | null;
}
