import { IcalError } from '../errors';
import { type IcalDuration, type IcalTime } from '../model';
import { MS_PER_DAY, dayNumber, daysInMonth } from '../time/civil';
import { type TimeZone, UTC } from '../time/time-zone';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z)?)?$/;
const BASIC_DATE_TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

/** A TZID's zone; `'floating'` reads the time as floating, `null` makes it an error. */
export type ZoneLookup = (tzid: string) => TimeZone | 'floating' | null;

export interface ValueContext {
  readonly line: number;
  readonly property: string;
  readonly zoneOf: ZoneLookup;
}

/**
 * Reads a DATE or DATE-TIME value (in ical.js's jCal form `2026-03-29T02:30:00[Z]`, or the
 * raw `20260329T023000[Z]`) into an `IcalTime`, checking that every field is in range.
 */
export function readTime(value: string, tzid: string | null, ctx: ValueContext): IcalTime {
  const match = DATE_TIME.exec(value) ?? BASIC_DATE_TIME.exec(value);
  const invalid = () =>
    new IcalError(
      'invalid-value',
      `${ctx.property} "${value}" is not a valid date or date-time`,
      ctx.line,
      ctx.property,
    );
  if (!match) throw invalid();
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalid();
  const dayMs = dayNumber(year, month, day) * MS_PER_DAY;
  if (match[4] === undefined) return { kind: 'date', localMs: dayMs };
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6])];
  if (hour > 23 || minute > 59 || second > 60) throw invalid();
  const localMs = dayMs + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1_000;
  if (match[7] === 'Z') return { kind: 'zoned', localMs, zone: UTC };
  if (tzid === null) return { kind: 'floating', localMs };
  const zone = ctx.zoneOf(tzid);
  if (!zone)
    throw new IcalError(
      'unknown-tzid',
      `time zone "${tzid}" is neither known nor defined in the file`,
      ctx.line,
      ctx.property,
    );
  return zone === 'floating' ? { kind: 'floating', localMs } : { kind: 'zoned', localMs, zone };
}

const DURATION = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function readDuration(value: string, ctx: ValueContext): IcalDuration {
  const match = DURATION.exec(value.trim());
  if (!match || value.trim().endsWith('T') || /^[+-]?P$/.test(value.trim())) {
    throw new IcalError('invalid-value', `"${value}" is not a duration`, ctx.line, ctx.property);
  }
  const sign = match[1] === '-' ? -1 : 1;
  const days = Number(match[2] ?? 0) * 7 + Number(match[3] ?? 0);
  const ms =
    ((Number(match[4] ?? 0) * 60 + Number(match[5] ?? 0)) * 60 + Number(match[6] ?? 0)) * 1_000;
  return { days: sign * days, ms: sign * ms };
}
