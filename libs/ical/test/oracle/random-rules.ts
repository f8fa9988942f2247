import fc from 'fast-check';
import { MS_PER_DAY, WEEKDAYS } from '../../src';

const HOUR = 3_600_000;
const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const SUB_DAILY = new Set<string>(FREQS.slice(0, 3));

/** A BYxxx part: absent three times out of four. */
const part = <T>(values: fc.Arbitrary<T>, max = 3) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.uniqueArray(values, { minLength: 1, maxLength: max }) },
  );
const signed = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);
const weekday = fc.constantFrom(...WEEKDAYS);
const list = <T>(values: fc.Arbitrary<T>, max = 3) =>
  fc.uniqueArray(values, { minLength: 1, maxLength: max });
const ordinal = fc.tuple(fc.oneof(signed(5), signed(53)), weekday).map(([n, d]) => `${n}${d}`);

const DAY_PARTS = ['byDay', 'byMonth', 'byMonthDay', 'byYearDay', 'byWeekNo'] as const;

/** A random rule with DTSTART and window, in the terms of python-dateutil's test. */
export const randomRule = fc
  .record({
    freq: fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...FREQS.slice(0, 3)) },
      { weight: 4, arbitrary: fc.constantFrom(...FREQS.slice(3)) },
    ),
    interval: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
      { weight: 1, arbitrary: fc.integer({ min: 5, max: 90 }) },
    ),
    // At most two day parts at once: more rarely match, and dateutil then walks to year 9999.
    dayParts: fc.shuffledSubarray([...DAY_PARTS], { maxLength: 2 }),
    // dateutil intersects plain and ordinal weekdays (BYDAY=MO,1TU yields nothing); RFC 5545
    // lists a union, which the engine follows, so the oracle sees one kind at a time.
    byDay: fc.oneof(list(weekday, 4), list(ordinal)),
    byMonth: list(fc.integer({ min: 1, max: 12 })),
    byMonthDay: list(signed(31)),
    byYearDay: list(signed(366)),
    // -52 and -53 can name the next year's week 1; dateutil then leaves out its days in
    // December (a TODO in its source), where it keeps them for BYWEEKNO=1. The engine keeps
    // them for both (engine.unit.spec.ts), so the oracle is asked only the rest.
    byWeekNo: list(signed(53).filter((n) => n > -52)),
    bySetPos: part(signed(3), 2),
    byHour: part(fc.integer({ min: 0, max: 23 })),
    byMinute: part(fc.integer({ min: 0, max: 59 })),
    bySecond: part(fc.integer({ min: 0, max: 59 })),
    wkst: weekday,
    end: fc.oneof(
      fc.constant(null),
      fc.integer({ min: 1, max: 40 }).map((count) => ({ count })),
      fc.integer({ min: 0, max: 1_500 }).map((untilDays) => ({ untilDays })),
    ),
    allDay: fc.boolean(),
    startDay: fc.integer({
      min: Date.UTC(1995, 0, 1) / MS_PER_DAY,
      max: Date.UTC(2030, 0, 1) / MS_PER_DAY,
    }),
    startSecond: fc.oneof(
      fc.integer({ min: 0, max: 23 }).map((h) => h * 3600),
      fc.integer({ min: 0, max: 86_399 }),
    ),
    fromOffset: fc.integer({ min: 0, max: 1_500 * 24 }),
    length: fc.integer({ min: 1, max: 400 * 24 }),
  })
  .map(({ dayParts, ...r }) => {
    const chosen = new Set<string>(dayParts);
    const day = Object.fromEntries(DAY_PARTS.map((k) => [k, chosen.has(k) ? r[k] : null]));
    // BYSETPOS only where a period can hold more than one candidate.
    const several = [day.byDay, day.byMonthDay, r.byHour].some((v) => v && v.length > 1);
    const subDaily = SUB_DAILY.has(r.freq);
    // Hours; sub-daily rules stay within days, SECONDLY within hours, to keep dateutil quick.
    const scale = r.freq === 'SECONDLY' ? 1 / 200 : subDaily ? 1 / 50 : 1;
    const start = r.startDay * MS_PER_DAY + (r.allDay ? 0 : r.startSecond * 1_000);
    const from = start - 2 * MS_PER_DAY + Math.floor(r.fromOffset * scale) * HOUR;
    const to = from + Math.max(1, Math.floor(r.length * scale)) * HOUR;
    return {
      ...r,
      byDay: day.byDay as string[] | null,
      byMonth: day.byMonth as number[] | null,
      byMonthDay: day.byMonthDay as number[] | null,
      byYearDay: day.byYearDay as number[] | null,
      byWeekNo: day.byWeekNo as number[] | null,
      bySetPos: several ? r.bySetPos : null,
      start,
      from,
      to,
    };
  });

export type RandomRule = typeof randomRule extends fc.Arbitrary<infer T> ? T : never;

export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const compact = (ms: number, date: boolean) =>
  iso(ms)
    .replace(/[-:]/g, '')
    .slice(0, date ? 8 : 15);

export function ruleText(r: RandomRule, forDateutil: boolean): string {
  // YEARLY with BYWEEKNO takes no BYDAY ordinal (RFC 5545 §3.3.10); both read it as plain.
  const plainDays = r.freq === 'YEARLY' && r.byWeekNo !== null;
  const byDay = r.byDay?.map((d) => (plainDays ? d.replace(/^[+-]?\d+/, '') : d));
  const end = r.end;
  const parts: [string, unknown][] = [
    ['FREQ', r.freq],
    ['INTERVAL', r.interval],
    ['COUNT', end && 'count' in end ? end.count : null],
    [
      'UNTIL',
      end && 'untilDays' in end ? compact(r.start + end.untilDays * MS_PER_DAY, r.allDay) : null,
    ],
    ['BYDAY', byDay ? [...new Set(byDay)].join(',') : null],
    ['BYMONTH', r.byMonth],
    ['BYMONTHDAY', r.byMonthDay],
    ['BYYEARDAY', r.byYearDay],
    ['BYWEEKNO', r.byWeekNo],
    ['BYSETPOS', r.bySetPos],
    ['BYHOUR', r.byHour],
    ['BYMINUTE', r.byMinute],
    ['BYSECOND', r.bySecond],
    ['WKST', r.wkst],
  ];
  // A DATE start has only midnight: what the engine does on it is dateutil at 00:00:00.
  const timeParts = new Set(['BYHOUR', 'BYMINUTE', 'BYSECOND']);
  const kept = parts.filter(
    ([k, v]) => v !== null && !(forDateutil && r.allDay && timeParts.has(k)),
  );
  if (forDateutil && r.allDay) kept.push(['BYHOUR', 0], ['BYMINUTE', 0], ['BYSECOND', 0]);
  return kept.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(';');
}

/**
 * dateutil's first WEEKLY period begins at DTSTART rather than at WKST, so BYSETPOS counts a
 * shorter first week there; RFC 5545 §3.3.10 counts within the whole interval (the week),
 * as the engine does. The oracle's WEEKLY BYSETPOS rules start on WKST, where both agree.
 */
export function startOnWkst(r: RandomRule): RandomRule {
  if (r.freq !== 'WEEKLY' || !r.bySetPos) return r;
  const back = (((r.startDay + 3) % 7) - WEEKDAYS.indexOf(r.wkst) + 7) % 7;
  return { ...r, startDay: r.startDay - back, start: r.start - back * MS_PER_DAY };
}

/** A rule's UNTIL as a floating ISO date-time. */
export function untilIso(until: string): string {
  const t = until.length === 8 ? `${until}T000000` : until.slice(0, 15);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}`;
}
