import { type TimeZone } from '@cs/ical';
import { type Interval, overlap } from '../intervals/intervals';
import {
  type Appointment,
  type EventTime,
  type ExternalEvent,
  type SourceCalendar,
} from '../model';
import { externalIndex } from './external-index';
import {
  type BusyInterval,
  type Placed,
  expandedInstances,
  externalBusy,
  isSeries,
  seriesKey,
} from './placed-event';
import { placeInSeries } from './event-time';

export type { BusyInterval, BusyKind } from './placed-event';

export interface BusyInput {
  readonly bookings: readonly Appointment[];
  /** Read through an index kept with this list: the list must not change once passed. */
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
 * expanded with their overrides; one event seen in several calendars counts once. Only the
 * external events near `range` are looked at (./external-index.ts).
 */
export function busyTime(input: BusyInput): BusyInterval[] {
  const bookingIds = new Set(input.bookings.map((b) => b.bookingId));
  const allDayBlocks = new Map(input.calendars.map((c) => [c.calendarId, c.allDayBlocks]));
  const busy: BusyInterval[] = input.bookings
    .filter((b) => overlap(b, input.range))
    .map(fromAppointment);

  const index = externalIndex(input.externalEvents, input.zone);
  const counted = index
    .candidates(input.range)
    .filter(
      ({ event: e, start, end }) =>
        (isSeries(e) || overlap({ start, end }, input.range)) &&
        !(e.bookingId !== null && bookingIds.has(e.bookingId)) &&
        !(e.allDay && allDayBlocks.get(e.calendarId) === false),
    );

  // Keyed by UID, then by recurrence id: the same event from several calendars counts once.
  const seen = new Map<string, Map<number | null, BusyInterval>>();
  for (const one of counted) {
    const { event } = one;
    const skipped =
      isSeries(event) && index.overridden.size > 0
        ? (index.overridden.get(seriesKey(event)) ?? [])
        : [];
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

const UNEXPANDABLE_LIMIT = 10_000;
const unexpandable = new Set<string>();

function unexpandableKey(event: ExternalEvent): string {
  return `${event.rrule}\u0000${event.start}\u0000${event.allDay}\u0000${event.timeZone}`;
}
