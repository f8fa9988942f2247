import { type IcalError, type IcalErrorCode } from './errors';
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

/** An `RDATE;VALUE=PERIOD`: an extra instance with its own end. */
export interface IcalPeriod {
  readonly kind: 'period';
  readonly start: IcalTime;
  readonly end: IcalTime;
}

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
  readonly rdates: readonly (IcalTime | IcalPeriod)[];
  readonly exdates: readonly IcalTime[];
  readonly recurrenceId: IcalTime | null;
  readonly thisAndFuture: boolean;
}

/** One thing wrong in a calendar, in words a person can act on, tied to its event where known. */
export interface CalendarProblem {
  /** The UID of the event concerned, when it has one. */
  readonly eventUid: string | null;
  readonly line: number | null;
  readonly code: IcalErrorCode;
  readonly reason: string;
  /** False when the problem cost an event: it was left out. */
  readonly kept: boolean;
}

export interface ParsedCalendar {
  readonly events: readonly IcalEvent[];
  readonly errors: readonly IcalError[];
  /** The same problems as `errors`, each tied to the event it concerns. */
  readonly problems: readonly CalendarProblem[];
  readonly method: string | null;
  /** `X-WR-TIMEZONE` (Google, Apple): the zone in which floating times are meant. */
  readonly calendarZone: TimeZone | null;
}
