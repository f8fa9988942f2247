import { type IcalDuration } from '../model';
import { MS_PER_DAY } from '../time/civil';
import { type TimeZone, instantToLocal, localToInstant } from '../time/time-zone';
import { type RecurrenceRule } from './rule';
import { seriesLocalStarts } from './series-starts';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A recurring series in the terms that matter for expansion: wall-clock DTSTART in its zone. */
export interface RecurrenceSeries {
  readonly startLocal: number;
  readonly zone: TimeZone;
  readonly allDay: boolean;
  readonly duration: IcalDuration;
  readonly rule: RecurrenceRule | null;
  /** Extra instances (RDATE): start instants, or intervals for PERIODs with their own end. */
  readonly rdates: readonly (number | Interval)[];
  /** Removed instances (EXDATE), as instants of their original start. */
  readonly exdates: readonly number[];
}

export interface Occurrence {
  readonly start: number;
  readonly end: number;
  /** Instant of the occurrence's original start: its RECURRENCE-ID. */
  readonly recurrenceId: number;
}

/** Local offsets lie within ±14 h; two days of margin covers them and any DST shift. */
const MARGIN = 2 * MS_PER_DAY;

/**
 * The occurrences of a series that overlap `window`, ascending. Each one is placed on the
 * wall clock of the series' zone, so 09:00 stays 09:00 across DST; durations in whole days
 * are nominal and the rest exact (RFC 5545 §3.3.6).
 */
export function expandRecurrence(series: RecurrenceSeries, window: Interval): Occurrence[] {
  const { zone, duration, rule } = series;
  const span = duration.days * MS_PER_DAY + duration.ms;
  const fromLocal = window.start - span - MARGIN;
  const toLocal = window.end + MARGIN;
  const excluded = new Set(series.exdates);
  const until = rule?.until ? untilInstant(rule.until, series) : Infinity;

  const localStarts = seriesLocalStarts(series, fromLocal, toLocal);

  const byStart = new Map<number, Occurrence>();
  for (const local of localStarts) {
    const start = localToInstant(zone, local);
    if (start > until) break;
    if (!excluded.has(start)) byStart.set(start, occurrence(local, start, series));
  }
  for (const rdate of series.rdates) {
    const start = typeof rdate === 'number' ? rdate : rdate.start;
    if (excluded.has(start)) continue;
    const own = occurrence(instantToLocal(zone, start), start, series);
    byStart.set(start, typeof rdate === 'number' ? own : { ...own, end: rdate.end });
  }
  return [...byStart.values()].filter((o) => overlaps(o, window)).sort((a, b) => a.start - b.start);
}

function occurrence(local: number, start: number, series: RecurrenceSeries): Occurrence {
  const { days, ms } = series.duration;
  const dayEnd = days === 0 ? start : localToInstant(series.zone, local + days * MS_PER_DAY);
  return { start, end: dayEnd + ms, recurrenceId: start };
}

export function overlaps(interval: Interval, window: Interval): boolean {
  if (interval.start === interval.end)
    return interval.start >= window.start && interval.start < window.end;
  return interval.start < window.end && interval.end > window.start;
}

/**
 * UNTIL is inclusive. A date UNTIL on a timed series (common in Google exports, though
 * RFC 5545 asks for a date-time) is taken to include that whole local day.
 */
function untilInstant(until: string, series: RecurrenceSeries): number {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 9, 11, 13].map((at, i) =>
    Number(until.slice(at, at + (i === 0 ? 4 : 2))),
  );
  if (until.length === 8) {
    const day = Date.UTC(y, mo - 1, d);
    return series.allDay
      ? localToInstant(series.zone, day)
      : localToInstant(series.zone, day + MS_PER_DAY) - 1;
  }
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  return until.endsWith('Z') ? local : localToInstant(series.zone, local);
}
