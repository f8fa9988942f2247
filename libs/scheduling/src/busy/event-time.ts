import { MS_PER_DAY, type TimeZone, instantToLocal, localToInstant } from '@cs/ical';
import { type EventTime } from '../model';

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/;

/** Wall-clock ms ("local time read as UTC") of a wall-clock value, or null for an instant. */
function wallClockOf(time: EventTime): number | null {
  const match = WALL_CLOCK.exec(time);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** The instant of an event time, wall-clock values read in `zone`. */
export function placeTime(time: EventTime, zone: TimeZone): number {
  const local = wallClockOf(time);
  return local === null ? Date.parse(time) : localToInstant(zone, local);
}

/** A series as its instances are named: its zone, wall-clock start and whether it is all-day. */
export interface SeriesClock {
  readonly zone: TimeZone;
  readonly startLocal: number;
  readonly allDay: boolean;
}

/**
 * The instant of the instance an EXDATE, RDATE or RECURRENCE-ID names, whatever its form: a
 * date on a timed series means that day at the series' time of day; any time on an all-day
 * series means its local day.
 */
export function placeInSeries(time: EventTime, series: SeriesClock): number {
  const { zone, startLocal, allDay } = series;
  const local = wallClockOf(time) ?? instantToLocal(zone, Date.parse(time));
  const day = Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  if (allDay) return localToInstant(zone, day);
  if (time.length > 10) return placeTime(time, zone);
  return localToInstant(zone, day + startLocal - Math.floor(startLocal / MS_PER_DAY) * MS_PER_DAY);
}

/**
 * An approximate instant for storage and change tracking before the Pro's zone is known:
 * wall-clock read as UTC, widened by the largest offset either way (±14 h).
 */
export function roughSpan(start: EventTime, end: EventTime): { start: number; end: number } {
  const margin = 14 * 3_600_000;
  const at = (time: EventTime) => wallClockOf(time);
  const from = at(start);
  const to = at(end);
  return {
    start: from === null ? Date.parse(start) : from - margin,
    end: to === null ? Date.parse(end) : to + margin,
  };
}
