import { type TimeZone, civilDate, ianaZone, instantToLocal, MS_PER_DAY, pad2 } from '@cs/ical';
import { SchedulingError } from '../errors';

export function zoneOrThrow(id: string, path: string): TimeZone {
  const zone = ianaZone(id);
  if (!zone)
    throw new SchedulingError('unknown-time-zone', path, `"${id}" is not an IANA time zone`);
  return zone;
}

/** Local day number (days since 1970-01-01 on the zone's wall clock) of an instant. */
export function localDay(zone: TimeZone, instant: number): number {
  return Math.floor(instantToLocal(zone, instant) / MS_PER_DAY);
}

/** ISO 8601 wall-clock time with its offset, e.g. `2026-03-29T03:30:00+02:00`. */
export function toLocalIso(instant: number, timeZone: string): string {
  const zone = zoneOrThrow(timeZone, 'timeZone');
  const offset = zone.offsetAt(instant);
  const local = instant + offset;
  const day = Math.floor(local / MS_PER_DAY);
  const { year, month, day: date } = civilDate(day);
  const seconds = Math.floor((local - day * MS_PER_DAY) / 1_000);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return (
    `${year}-${pad2(month)}-${pad2(date)}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}` +
    `${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`
  );
}
