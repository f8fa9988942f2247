import { MS_PER_DAY, dayNumber } from './civil';

/**
 * A time zone as the rest of the code needs it: the UTC offset in force at an instant.
 * IANA zones come from the platform's tz database through `Intl` (date-fns-tz's
 * `getTimezoneOffset` reads its `Date` in the process's own zone, so it is not used); custom
 * VTIMEZONE definitions from an iCalendar file implement the same interface.
 */
export interface TimeZone {
  readonly id: string;
  offsetAt(epochMs: number): number;
}

/** Offsets are constant over almost every UTC day, so one lookup per day is cached. */
type DayOffsets =
  number | { readonly changeAt: number; readonly before: number; readonly after: number };

const ianaZones = new Map<string, TimeZone | null>();

/** The IANA zone with this id, or `null` when the tz database does not know it. */
export function ianaZone(id: string): TimeZone | null {
  const cached = ianaZones.get(id);
  if (cached !== undefined) return cached;
  const formatter = formatterFor(id);
  const zone = formatter ? createIanaZone(id, formatter) : null;
  ianaZones.set(id, zone);
  return zone;
}

function formatterFor(id: string): Intl.DateTimeFormat | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(id)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
}

/** Offset at an instant: the zone's wall-clock reading of it, minus the instant. */
function intlOffset(formatter: Intl.DateTimeFormat, epochMs: number): number {
  const whole = Math.floor(epochMs / 1_000) * 1_000;
  const fields: Record<string, string> = {};
  for (const part of formatter.formatToParts(whole)) fields[part.type] = part.value;
  const year = fields.era === 'BC' ? 1 - Number(fields.year) : Number(fields.year);
  const wall =
    dayNumber(year, Number(fields.month), Number(fields.day)) * MS_PER_DAY +
    ((Number(fields.hour) * 60 + Number(fields.minute)) * 60 + Number(fields.second)) * 1_000;
  return wall - whole;
}

function createIanaZone(id: string, formatter: Intl.DateTimeFormat): TimeZone {
  const days = new Map<number, DayOffsets>();
  const raw = (epochMs: number) => intlOffset(formatter, epochMs);
  return {
    id,
    offsetAt(epochMs) {
      const day = Math.floor(epochMs / MS_PER_DAY);
      let entry = days.get(day);
      if (entry === undefined) {
        entry = dayOffsets(raw, day * MS_PER_DAY);
        days.set(day, entry);
      }
      if (typeof entry === 'number') return entry;
      return epochMs < entry.changeAt ? entry.before : entry.after;
    },
  };
}

function dayOffsets(raw: (epochMs: number) => number, dayStart: number): DayOffsets {
  const before = raw(dayStart);
  const after = raw(dayStart + MS_PER_DAY - 1);
  if (before === after) return before;
  // Binary search to the second for the one transition of the day.
  let low = dayStart;
  let high = dayStart + MS_PER_DAY - 1_000;
  while (high - low > 1_000) {
    const mid = low + Math.floor((high - low) / 2_000) * 1_000;
    if (raw(mid) === before) low = mid;
    else high = mid;
  }
  return { changeAt: high, before, after };
}

export const UTC: TimeZone = { id: 'UTC', offsetAt: () => 0 };

/**
 * The instant of a wall-clock time, given as milliseconds of "local time read as UTC".
 * RFC 5545 §3.3.5: a time inside a spring-forward gap is read with the offset in force
 * before the gap (so it moves forward by the gap); a time that occurs twice takes the first.
 */
export function localToInstant(zone: TimeZone, localMs: number): number {
  const before = zone.offsetAt(localMs - MS_PER_DAY);
  const after = zone.offsetAt(localMs + MS_PER_DAY);
  const early = localMs - before;
  const late = localMs - after;
  const earlyValid = zone.offsetAt(early) === before;
  const lateValid = zone.offsetAt(late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return early;
}

/** Wall-clock milliseconds ("local time read as UTC") of an instant in a zone. */
export function instantToLocal(zone: TimeZone, epochMs: number): number {
  return epochMs + zone.offsetAt(epochMs);
}
