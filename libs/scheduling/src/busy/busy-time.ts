import {
  type RecurrenceRule,
  type TimeZone,
  expandRecurrence,
  instantToLocal,
  MS_PER_DAY,
  parseRecurrenceRule,
  resolveZone,
} from '@cs/ical';
import { type Interval, overlap } from '../intervals/intervals';
import { type Appointment, type ExternalEvent, type GeoPoint, type SourceCalendar } from '../model';

export type BusyKind = 'booking' | 'hold' | 'external';

/** Time the Pro is taken, with what the gap rule needs to know about it. */
export interface BusyInterval extends Interval {
  readonly kind: BusyKind;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  readonly location: GeoPoint | null;
  readonly bookingId: string | null;
  readonly calendarId: string | null;
  readonly eventUid: string | null;
  readonly recurrenceId: number | null;
}

export interface BusyInput {
  readonly bookings: readonly Appointment[];
  readonly externalEvents: readonly ExternalEvent[];
  readonly calendars: readonly SourceCalendar[];
  readonly range: Interval;
  /** The Pro's zone: recurring events without their own zone repeat on its wall clock. */
  readonly zone: TimeZone;
}

/**
 * The Pro's busy time in `range` (DESIGN §3): bookings and holds with their buffers, and
 * external events unless cancelled, transparent, declined by the Pro, all-day in a calendar
 * whose all-day switch is off, or mirroring one of our bookings. Recurring events are
 * expanded with their overrides; one event seen in several calendars counts once.
 */
export function busyTime(input: BusyInput): BusyInterval[] {
  const bookingIds = new Set(input.bookings.map((b) => b.bookingId));
  const allDayBlocks = new Map(input.calendars.map((c) => [c.calendarId, c.allDayBlocks]));
  const busy: BusyInterval[] = input.bookings
    .filter((b) => overlap(b, input.range))
    .map(fromAppointment);

  const counted = input.externalEvents.filter(
    (e) =>
      (isSeries(e) || overlap(e, input.range)) &&
      e.status !== 'cancelled' &&
      !e.transparent &&
      !e.declinedByPro &&
      !(e.bookingId !== null && bookingIds.has(e.bookingId)) &&
      !(e.allDay && allDayBlocks.get(e.calendarId) === false),
  );
  const overridden = new Map<string, number[]>();
  for (const e of input.externalEvents) {
    if (e.recurrenceId !== null) {
      const key = seriesKey(e);
      overridden.set(key, [...(overridden.get(key) ?? []), e.recurrenceId]);
    }
  }

  // Keyed by UID, then by recurrence id: the same event from several calendars counts once.
  const seen = new Map<string, Map<number | null, BusyInterval>>();
  counted.sort((a, b) => compare(a.calendarId, b.calendarId) || a.start - b.start);
  for (const event of counted) {
    const skipped =
      isSeries(event) && overridden.size > 0 ? (overridden.get(seriesKey(event)) ?? []) : [];
    for (const interval of instancesOf(event, skipped, input)) {
      let instances = seen.get(event.eventUid);
      if (!instances) seen.set(event.eventUid, (instances = new Map()));
      if (!instances.has(interval.recurrenceId)) instances.set(interval.recurrenceId, interval);
    }
  }
  for (const instances of seen.values())
    for (const interval of instances.values()) busy.push(interval);
  return busy.sort((a, b) => a.start - b.start || a.end - b.end);
}

function isSeries(event: ExternalEvent): boolean {
  return event.rrule !== null && event.recurrenceId === null;
}

function fromAppointment(a: Appointment): BusyInterval {
  return {
    start: a.start,
    end: a.end,
    kind: a.kind,
    bufferBeforeMs: a.bufferBeforeMinutes * 60_000,
    bufferAfterMs: a.bufferAfterMinutes * 60_000,
    location: a.location,
    bookingId: a.bookingId,
    calendarId: null,
    eventUid: null,
    recurrenceId: null,
  };
}

function instancesOf(
  event: ExternalEvent,
  overriddenIds: readonly number[],
  input: BusyInput,
): BusyInterval[] {
  if (event.rrule === null || event.recurrenceId !== null)
    return [externalBusy(event, event.start, event.end, event.recurrenceId)];
  const zone = (event.timeZone && resolveZone(event.timeZone)) || input.zone;
  const length = event.end - event.start;
  const occurrences = expandRecurrence(
    {
      startLocal: instantToLocal(zone, event.start),
      zone,
      allDay: event.allDay,
      duration: event.allDay
        ? { days: Math.round(length / MS_PER_DAY), ms: 0 }
        : { days: 0, ms: length },
      rule: ruleOf(event.rrule),
      rdates: [],
      exdates: [...event.exdates, ...overriddenIds],
    },
    input.range,
  );
  return occurrences.map((o) => externalBusy(event, o.start, o.end, o.recurrenceId));
}

function externalBusy(
  event: ExternalEvent,
  start: number,
  end: number,
  recurrenceId: number | null,
): BusyInterval {
  return {
    start,
    end,
    kind: 'external',
    bufferBeforeMs: 0,
    bufferAfterMs: 0,
    location: event.location,
    bookingId: null,
    calendarId: event.calendarId,
    eventUid: event.eventUid,
    recurrenceId,
  };
}

const rules = new Map<string, RecurrenceRule>();

/** The same few rules are read on every query, so parsed rules are kept. */
function ruleOf(text: string): RecurrenceRule {
  let rule = rules.get(text);
  if (!rule) {
    if (rules.size > 10_000) rules.clear();
    rule = parseRecurrenceRule(text);
    rules.set(text, rule);
  }
  return rule;
}

function seriesKey(event: ExternalEvent): string {
  return `${event.calendarId}\u0000${event.eventUid}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
