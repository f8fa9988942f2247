import { type IcalEvent, type IcalTime } from '../model';
import { MS_PER_DAY } from '../time/civil';
import { instantOf, zoneOf } from '../time/instant';
import { type TimeZone, instantToLocal, localToInstant } from '../time/time-zone';
import { type Interval, expandRecurrence, overlaps } from './expand';
import { splitSeries } from './split-series';

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
 * A `RANGE=THISANDFUTURE` override moves (by its wall-clock offset) and re-describes, with its
 * duration, every later instance that has no override of its own (`splitSeries`). Dates and
 * floating times are read in `viewerZone`; instances keep their original RECURRENCE-IDs.
 */
export function expandEvent(
  master: IcalEvent,
  overrides: readonly IcalEvent[],
  window: Interval,
  viewerZone: TimeZone,
): EventInstance[] {
  const zone = zoneOf(master.start, viewerZone);
  return splitSeries(master, overrides, viewerZone)
    .flatMap(({ master: part, overrides: own, shift }) => {
      const original = (rid: number) =>
        shift === 0 ? rid : localToInstant(zone, instantToLocal(zone, rid) - shift);
      return expandPart(part, own, window, viewerZone).map((i) =>
        i.recurrenceId === null ? i : { ...i, recurrenceId: original(i.recurrenceId) },
      );
    })
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

function expandPart(
  master: IcalEvent,
  overrides: readonly IcalEvent[],
  window: Interval,
  viewerZone: TimeZone,
): EventInstance[] {
  const zone = zoneOf(master.start, viewerZone);
  const ridOf = (event: IcalEvent) =>
    instantOf(inSeries(event.recurrenceId ?? event.start, master), zone);
  const single = new Set(overrides.map(ridOf));
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
    window,
  );

  const isRecurring = master.rrule !== null || master.rdates.length > 0;
  const instances: EventInstance[] = occurrences
    .filter((o) => !single.has(o.recurrenceId))
    .map((o) => ({
      uid: master.uid,
      start: o.start,
      end: o.end,
      recurrenceId: isRecurring ? o.recurrenceId : null,
      allDay: master.allDay,
      event: master,
    }));
  for (const override of overrides) {
    const recurrenceId = ridOf(override);
    instances.push(
      ...standalone(override, viewerZone, window).map((i) => ({ ...i, recurrenceId })),
    );
  }
  return instances.filter((i) => overlaps(i, window));
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
