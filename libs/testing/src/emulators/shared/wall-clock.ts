import { type TimeZone, instantToLocal } from '@cs/ical';

/** `2026-01-05T09:00:00+01:00`: an instant on the zone's wall clock with its offset (RFC 3339). */
export function rfc3339InZone(zone: TimeZone, instant: number): string {
  const local = instantToLocal(zone, instant);
  const offsetMinutes = Math.round((local - instant) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset =
    abs === 0
      ? 'Z'
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(local).toISOString().slice(0, 19)}${offset}`;
}

/** The instant as wall-clock text in the zone without an offset, Graph's dateTimeTimeZone form. */
export function graphLocalText(zone: TimeZone, instant: number): string {
  return `${new Date(instantToLocal(zone, instant)).toISOString().slice(0, 19)}.0000000`;
}

/** `YYYY-MM-DD` as the UTC midnight of that day, the local-ms form `@cs/ical` expands in. */
export function dateToLocalMs(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${date}`);
  return ms;
}

export function localMsToDate(local: number): string {
  return new Date(local).toISOString().slice(0, 10);
}
