import { type IcalEvent, type IcalTime } from '../model';
import { MS_PER_DAY } from '../time/civil';
import { instantOf, zoneOf } from '../time/instant';
import { type TimeZone } from '../time/time-zone';
import { type Interval, expandRecurrence, overlaps } from './expand';

/** One concrete instance of an event; `event` is the VEVENT whose properties apply to it. */
export interface EventInstance {
  readonly uid: string;
  readonly start: number;
  readonly end: number;
  readonly recurrenceId: number | null;
  readonly allDay: boolean;
  readonly event: IcalEvent;
}

/**
 * Instances of `master` with its RECURRENCE-ID overrides applied, overlapping `window`.
 * A `RANGE=THISANDFUTURE` override moves (by the same offset) and re-describes every later
 * instance that has no override of its own. Dates and floating times are read in `viewerZone`.
 */
export function expandEvent(
  master: IcalEvent,
  overrides: readonly IcalEvent[],
  window: Interval,
  viewerZone: TimeZone,
): EventInstance[] {
  const zone = zoneOf(master.start, viewerZone);
  const ridOf = (event: IcalEvent) =>
    instantOf(inSeries(event.recurrenceId ?? event.start, master), zone);
  const single = new Map(overrides.map((o) => [ridOf(o), o]));
  const ranges = overrides
    .filter((o) => o.thisAndFuture)
    .map((o) => ({ rid: ridOf(o), shift: instantOf(o.start, viewerZone) - ridOf(o), event: o }))
    .sort((a, b) => a.rid - b.rid);
  const reach = Math.max(0, ...ranges.map((r) => Math.abs(r.shift)));

  const occurrences = expandRecurrence(
    {
      startLocal: master.start.localMs,
      zone,
      allDay: master.allDay,
      duration: master.duration,
      rule: master.rrule,
      rdates: master.rdates.map((t) =>
        t.kind === 'period'
          ? { start: instantOf(t.start, zone), end: instantOf(t.end, zone) }
          : instantOf(inSeries(t, master), zone),
      ),
      exdates: master.exdates.map((t) => instantOf(inSeries(t, master), zone)),
    },
    { start: window.start - reach, end: window.end + reach },
  );

  const instances: EventInstance[] = [];
  const isRecurring = master.rrule !== null || master.rdates.length > 0;
  for (const occurrence of occurrences) {
    if (single.has(occurrence.recurrenceId)) continue;
    const range = ranges.filter((r) => r.rid <= occurrence.recurrenceId).pop();
    const shift = range?.shift ?? 0;
    const length = range ? lengthOf(range.event, viewerZone) : occurrence.end - occurrence.start;
    instances.push({
      uid: master.uid,
      start: occurrence.start + shift,
      end: occurrence.start + shift + length,
      recurrenceId: isRecurring ? occurrence.recurrenceId : null,
      allDay: (range?.event ?? master).allDay,
      event: range?.event ?? master,
    });
  }
  for (const override of overrides) {
    const recurrenceId = ridOf(override);
    instances.push(
      ...standalone(override, viewerZone, window).map((i) => ({ ...i, recurrenceId })),
    );
  }
  return instances
    .filter((i) => overlaps(i, window))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** An override, or an instance seen without its master (Google shares those alone). */
function standalone(event: IcalEvent, viewerZone: TimeZone, window: Interval): EventInstance[] {
  const occurrences = expandRecurrence(
    {
      startLocal: event.start.localMs,
      zone: zoneOf(event.start, viewerZone),
      allDay: event.allDay,
      duration: event.duration,
      rule: null,
      rdates: [],
      exdates: [],
    },
    window,
  );
  return occurrences.map((o) => ({
    uid: event.uid,
    start: o.start,
    end: o.end,
    recurrenceId: event.recurrenceId ? instantOf(event.recurrenceId, viewerZone) : null,
    allDay: event.allDay,
    event,
  }));
}

/**
 * An EXDATE, RDATE or RECURRENCE-ID as the series means it, whichever form it was written in:
 * a date on a timed series names that day's instance (at the series' time of day); a date-time
 * on an all-day series names the instance on its own local date (Exchange writes all-day
 * RECURRENCE-IDs as midnight in a Windows zone).
 */
function inSeries(time: IcalTime, master: IcalEvent): IcalTime {
  const dayOf = (localMs: number) => Math.floor(localMs / MS_PER_DAY) * MS_PER_DAY;
  if (master.allDay) return { kind: 'date', localMs: dayOf(time.localMs) };
  if (time.kind !== 'date') return time;
  const timeOfDay = master.start.localMs - dayOf(master.start.localMs);
  return { kind: 'floating', localMs: time.localMs + timeOfDay };
}

function lengthOf(event: IcalEvent, viewerZone: TimeZone): number {
  const [first] = standalone(event, viewerZone, { start: -8.64e15, end: 8.64e15 });
  return first ? first.end - first.start : 0;
}
