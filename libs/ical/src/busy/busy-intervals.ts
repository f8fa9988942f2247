import { type IcalEvent } from '../model';
import { type Interval } from '../recurrence/expand';
import { type EventInstance, expandEvent, standalone } from '../recurrence/expand-event';
import { type TimeZone } from '../time/time-zone';

/** One source calendar's events, as parsed, with its per-calendar all-day switch. */
export interface SourceCalendarEvents {
  readonly calendarId: string;
  readonly events: readonly IcalEvent[];
  /** Whether all-day events block time (docs/design.md §3: they do by default). */
  readonly allDayBlocks: boolean;
}

export interface BusyOptions {
  readonly window: Interval;
  /** The Pro's zone: all-day events and floating times are read in it. */
  readonly zone: TimeZone;
  /** The Pro's addresses; an invitation one of them declined is not busy. */
  readonly ownerEmails: readonly string[];
}

export interface CalendarBusyInterval {
  readonly start: number;
  readonly end: number;
  readonly calendarId: string;
  readonly uid: string;
  readonly recurrenceId: number | null;
  readonly allDay: boolean;
}

/**
 * Busy intervals from a Pro's source calendars, by docs/design.md §3: an instance is busy unless
 * it is cancelled, transparent, or declined by the Pro; all-day events follow the
 * calendar's switch; the same UID + recurrence id seen in several calendars counts once
 * (the copy in the first calendar by id wins, so the answer does not depend on input order).
 */
export function busyIntervals(
  calendars: readonly SourceCalendarEvents[],
  options: BusyOptions,
): CalendarBusyInterval[] {
  const owner = new Set(options.ownerEmails.map((e) => e.toLowerCase()));
  const seen = new Map<string, CalendarBusyInterval>();
  const ordered = [...calendars].sort((a, b) =>
    a.calendarId < b.calendarId ? -1 : a.calendarId > b.calendarId ? 1 : 0,
  );
  for (const calendar of ordered) {
    for (const instance of instancesOf(calendar.events, options)) {
      if (!blocks(instance, calendar, owner)) continue;
      const key = `${instance.uid}\u0000${instance.recurrenceId ?? ''}`;
      if (seen.has(key)) continue;
      seen.set(key, {
        start: instance.start,
        end: instance.end,
        calendarId: calendar.calendarId,
        uid: instance.uid,
        recurrenceId: instance.recurrenceId,
        allDay: instance.allDay,
      });
    }
  }
  return [...seen.values()].sort(
    (a, b) => a.start - b.start || a.end - b.end || compare(a.uid, b.uid),
  );
}

function instancesOf(events: readonly IcalEvent[], { window, zone }: BusyOptions): EventInstance[] {
  const byUid = new Map<string, { master: IcalEvent | null; overrides: IcalEvent[] }>();
  for (const event of events) {
    const group = byUid.get(event.uid) ?? { master: null, overrides: [] };
    if (event.recurrenceId) group.overrides.push(event);
    else if (!group.master || event.sequence > group.master.sequence) group.master = event;
    byUid.set(event.uid, group);
  }
  return [...byUid.values()].flatMap(({ master, overrides }) =>
    master
      ? expandEvent(master, overrides, window, zone)
      : overrides.flatMap((o) => standalone(o, zone, window)),
  );
}

function blocks(
  instance: EventInstance,
  calendar: SourceCalendarEvents,
  owner: ReadonlySet<string>,
): boolean {
  const { event } = instance;
  if (event.status === 'cancelled' || event.transparent) return false;
  if (instance.allDay && !calendar.allDayBlocks) return false;
  return !event.attendees.some((a) => owner.has(a.email) && a.partstat === 'declined');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
