import { ianaZone } from '@cs/ical';

const HOUR_MS = 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * `toLocalIso` for many instants in one zone: asking the tz database for every slot is the
 * costliest part of an answer, and an offset is the same at both ends of almost every hour.
 * Offsets come from `@cs/ical`'s zone; only the look-ups are shared.
 */
export function localIsoFormatter(timeZone: string): (instant: number) => string {
  const zone = ianaZone(timeZone);
  if (!zone) throw new Error(`unknown time zone ${timeZone}`);
  const hourly = new Map<number, number | null>();
  const offsetAt = (instant: number): number => {
    const hour = Math.floor(instant / HOUR_MS);
    let steady = hourly.get(hour);
    if (steady === undefined) {
      const atStart = zone.offsetAt(hour * HOUR_MS);
      steady = atStart === zone.offsetAt((hour + 1) * HOUR_MS - 1) ? atStart : null;
      hourly.set(hour, steady);
    }
    return steady ?? zone.offsetAt(instant);
  };
  return (instant) => {
    const offset = offsetAt(instant);
    return new Date(instant + offset).toISOString().slice(0, 19) + offsetText(offset);
  };
}
