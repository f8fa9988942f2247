// The busy-time rule as it was before the index (docs/adr/0018): every external event placed on
// every call. Kept as the reference the indexed one must agree with.
import {
  type RecurrenceRule,
  type TimeZone,
  expandRecurrence,
  instantToLocal,
  MS_PER_DAY,
  parseRecurrenceRule,
  resolveZone,
} from '@cs/ical';
import { type Interval, overlap } from '../src/intervals/intervals';
import {
  type Appointment,
  type EventTime,
  type ExternalEvent,
  type GeoPoint,
  type SourceCalendar,
} from '../src/model';
import { type SeriesClock, placeInSeries, placeTime } from '../src/busy/event-time';

type BusyKind = 'booking' | 'hold' | 'external';

/** Time the Pro is taken, with what the gap rule needs to know about it. */
interface BusyInterval extends Interval {
  readonly kind: BusyKind;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  readonly location: GeoPoint | null;
  readonly bookingId: string | null;
  readonly calendarId: string | null;
  readonly eventUid: string | null;
  readonly recurrenceId: number | null;
}

interface BusyInput {
  readonly bookings: readonly Appointment[];
  readonly externalEvents: readonly ExternalEvent[];
  readonly calendars: readonly SourceCalendar[];
  readonly range: Interval;
  /** The Pro's zone: recurring events without their own zone repeat on its wall clock. */
  readonly zone: TimeZone;
}

/**
 * The Pro's busy time in `range` (docs/design.md §3): bookings and holds with their buffers, and
 * external events unless cancelled, transparent, declined by the Pro, all-day in a calendar
 * whose all-day switch is off, or mirroring one of our bookings. Recurring events are
 * expanded with their overrides; one event seen in several calendars counts once.
 */
export function linearBusyTime(input: BusyInput): BusyInterval[] {
  const bookingIds = new Set(input.bookings.map((b) => b.bookingId));
  const allDayBlocks = new Map(input.calendars.map((c) => [c.calendarId, c.allDayBlocks]));
  const busy: BusyInterval[] = input.bookings
    .filter((b) => overlap(b, input.range))
    .map(fromAppointment);

  const placed = input.externalEvents.map((e) => place(e, input.zone));
  const counted = placed.filter(
    ({ event: e, start, end }) =>
      (isSeries(e) || overlap({ start, end }, input.range)) &&
      e.status !== 'cancelled' &&
      !e.transparent &&
      !e.declinedByPro &&
      !(e.bookingId !== null && bookingIds.has(e.bookingId)) &&
      !(e.allDay && allDayBlocks.get(e.calendarId) === false),
  );
  const overridden = new Map<string, EventTime[]>();
  for (const e of input.externalEvents) {
    if (e.recurrenceId !== null) {
      const key = seriesKey(e);
      overridden.set(key, [...(overridden.get(key) ?? []), e.recurrenceId]);
    }
  }

  // Keyed by UID, then by recurrence id: the same event from several calendars counts once.
  const seen = new Map<string, Map<number | null, BusyInterval>>();
  counted.sort((a, b) => compare(a.event.calendarId, b.event.calendarId) || a.start - b.start);
  for (const one of counted) {
    const { event } = one;
    const skipped =
      isSeries(event) && overridden.size > 0 ? (overridden.get(seriesKey(event)) ?? []) : [];
    for (const interval of instancesOf(one, skipped, input.range)) {
      let instances = seen.get(event.eventUid);
      if (!instances) seen.set(event.eventUid, (instances = new Map()));
      if (!instances.has(interval.recurrenceId)) instances.set(interval.recurrenceId, interval);
    }
  }
  for (const instances of seen.values())
    for (const interval of instances.values()) busy.push(interval);
  return busy.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** An external event placed on the time line: wall-clock times read in its zone, else the Pro's. */
interface Placed extends SeriesClock {
  readonly event: ExternalEvent;
  readonly start: number;
  readonly end: number;
}

function place(event: ExternalEvent, proZone: TimeZone): Placed {
  // All-day events block the Pro's own days, whatever zone their calendar names.
  const zone = (!event.allDay && event.timeZone && resolveZone(event.timeZone)) || proZone;
  const start = placeTime(event.start, zone);
  const end = Math.max(start, placeTime(event.end, zone));
  return { event, zone, start, end, startLocal: instantToLocal(zone, start), allDay: event.allDay };
}

function isSeries(event: ExternalEvent): boolean {
  return (event.rrule !== null || event.rdates.length > 0) && event.recurrenceId === null;
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
  placed: Placed,
  overriddenIds: readonly EventTime[],
  range: Interval,
): BusyInterval[] {
  const { event, start, end } = placed;
  if (!isSeries(event)) {
    const recurrenceId =
      event.recurrenceId === null ? null : placeInSeries(event.recurrenceId, placed);
    return [externalBusy(event, start, end, recurrenceId)];
  }
  const key = unexpandableKey(event);
  if (unexpandable.has(key)) return firstInstance(placed, range);
  try {
    return expandedInstances(placed, overriddenIds, range);
  } catch {
    // A rule that cannot be expanded within its budget (or at all) costs only its own event:
    // its first instance stays busy, and it is not tried again on every query.
    if (unexpandable.size >= UNEXPANDABLE_LIMIT) unexpandable.clear();
    unexpandable.add(key);
    return firstInstance(placed, range);
  }
}

function firstInstance({ event, start, end }: Placed, range: Interval): BusyInterval[] {
  return overlap({ start, end }, range) ? [externalBusy(event, start, end, null)] : [];
}

function expandedInstances(
  placed: Placed,
  overriddenIds: readonly EventTime[],
  range: Interval,
): BusyInterval[] {
  const { event, zone, start, end } = placed;
  const length = end - start;
  const occurrences = expandRecurrence(
    {
      startLocal: placed.startLocal,
      zone,
      allDay: event.allDay,
      duration: event.allDay
        ? { days: Math.round(length / MS_PER_DAY), ms: 0 }
        : { days: 0, ms: length },
      rule: event.rrule === null ? null : ruleOf(event.rrule),
      rdates: event.rdates.map((r) =>
        r.end === null
          ? placeInSeries(r.start, placed)
          : { start: placeTime(r.start, zone), end: placeTime(r.end, zone) },
      ),
      exdates: [...event.exdates, ...overriddenIds].map((t) => placeInSeries(t, placed)),
    },
    range,
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

const UNEXPANDABLE_LIMIT = 10_000;
const unexpandable = new Set<string>();

function unexpandableKey(event: ExternalEvent): string {
  return `${event.rrule}\u0000${event.start}\u0000${event.allDay}\u0000${event.timeZone}`;
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
