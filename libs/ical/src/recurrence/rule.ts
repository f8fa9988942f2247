import { IcalError } from '../errors';
import { WEEKDAYS, type Weekday } from '../time/civil';

export type Frequency =
  'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const FREQUENCIES: readonly Frequency[] = [
  'SECONDLY',
  'MINUTELY',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'YEARLY',
];

export interface ByDay {
  readonly weekday: Weekday;
  /** 0 for "every such weekday"; ±n for the n-th (from the end when negative). */
  readonly ordinal: number;
}

/** An RRULE, validated part by part; `text` is its canonical value. */
export interface RecurrenceRule {
  readonly text: string;
  readonly freq: Frequency;
  readonly interval: number;
  readonly count: number | null;
  /** Raw UNTIL value (`YYYYMMDD` or `YYYYMMDDTHHMMSS[Z]`); resolved against DTSTART later. */
  readonly until: string | null;
  readonly byDay: readonly ByDay[];
  readonly byMonthDay: readonly number[];
  readonly byMonth: readonly number[];
  readonly byYearDay: readonly number[];
  readonly byWeekNo: readonly number[];
  readonly bySetPos: readonly number[];
  readonly byHour: readonly number[];
  readonly byMinute: readonly number[];
  readonly bySecond: readonly number[];
  readonly wkst: Weekday;
}

const NUMBER_PARTS = {
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYSETPOS: [1, 366, true],
  BYMONTH: [1, 12, false],
  BYHOUR: [0, 23, false],
  BYMINUTE: [0, 59, false],
  BYSECOND: [0, 60, false],
} as const;
type NumberPart = keyof typeof NUMBER_PARTS;

/**
 * Parses an RRULE value (with or without the `RRULE:` prefix). Any unknown or malformed
 * part is an `invalid-rrule` error naming the part, never a silently different rule.
 */
export function parseRecurrenceRule(value: string, line: number | null = null): RecurrenceRule {
  const text = value.trim().replace(/^RRULE:/i, '');
  const fail = (detail: string) => new IcalError('invalid-rrule', detail, line, 'RRULE');
  const parts = new Map<string, string>();
  // Lenient in form only (Google ends rules with ";", some write lower case or spaces);
  // every part is then validated strictly.
  for (const part of text.replace(/;\s*$/, '').split(';')) {
    const [key, val, extra] = part.split('=').map((piece) => piece.trim());
    if (!key || val === undefined || val === '' || extra !== undefined)
      throw fail(`malformed part "${part}"`);
    const name = key.toUpperCase();
    if (parts.has(name)) throw fail(`${name} given twice`);
    parts.set(name, val.toUpperCase());
  }
  // RFC 7529 non-Gregorian calendars would need calendar tables this library does not have.
  for (const name of ['RSCALE', 'SKIP'])
    if (parts.has(name)) throw fail(`${name} (RFC 7529 calendar scales) is not supported`);
  const numbers = (name: NumberPart): number[] => {
    const raw = parts.get(name);
    if (raw === undefined) return [];
    const [min, max, signed] = NUMBER_PARTS[name];
    return raw.split(',').map((item) => {
      const n = /^[+-]?\d+$/.test(item) ? Number(item) : NaN;
      const magnitude = Math.abs(n);
      if (
        !Number.isInteger(n) ||
        (n < 0 && !signed) ||
        magnitude < min ||
        magnitude > max ||
        (signed && n === 0)
      ) {
        throw fail(`${name} value "${item}" is out of range`);
      }
      return n;
    });
  };
  const positive = (name: 'INTERVAL' | 'COUNT'): number | null => {
    const raw = parts.get(name);
    if (raw === undefined) return null;
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw fail(`${name} must be a positive integer, got "${raw}"`);
    return Number(raw);
  };

  const known = new Set([
    'FREQ',
    'INTERVAL',
    'COUNT',
    'UNTIL',
    'BYDAY',
    'WKST',
    ...Object.keys(NUMBER_PARTS),
  ]);
  for (const name of parts.keys()) if (!known.has(name)) throw fail(`unknown part ${name}`);
  const freq = parts.get('FREQ');
  if (freq === undefined) throw fail('FREQ is missing');
  if (!FREQUENCIES.includes(freq as Frequency)) throw fail(`unknown FREQ "${freq}"`);
  const until = parts.get('UNTIL') ?? null;
  if (until !== null && !/^\d{8}(T\d{6}Z?)?$/.test(until))
    throw fail(`UNTIL "${until}" is not a date or date-time`);
  const count = positive('COUNT');
  if (count !== null && until !== null) throw fail('COUNT and UNTIL cannot both be given');
  const wkst = parts.get('WKST') ?? 'MO';
  if (!isWeekday(wkst)) throw fail(`WKST "${wkst}" is not a weekday`);

  return {
    text: [...parts].map(([k, v]) => `${k}=${v}`).join(';'),
    freq: freq as Frequency,
    interval: positive('INTERVAL') ?? 1,
    count,
    until,
    byDay: byDays(parts.get('BYDAY'), fail),
    byMonthDay: numbers('BYMONTHDAY'),
    byMonth: numbers('BYMONTH'),
    byYearDay: numbers('BYYEARDAY'),
    byWeekNo: numbers('BYWEEKNO'),
    bySetPos: numbers('BYSETPOS'),
    byHour: numbers('BYHOUR'),
    byMinute: numbers('BYMINUTE'),
    bySecond: numbers('BYSECOND'),
    wkst,
  };
}

function byDays(raw: string | undefined, fail: (detail: string) => IcalError): ByDay[] {
  if (raw === undefined) return [];
  return raw.split(',').map((item) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    const ordinal = match?.[1] ? Number(match[1]) : 0;
    if (!match || !isWeekday(match[2]) || Math.abs(ordinal) > 53 || (match[1] && ordinal === 0)) {
      throw fail(`BYDAY value "${item}" is not a weekday`);
    }
    return { weekday: match[2], ordinal };
  });
}

function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}
