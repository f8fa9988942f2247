import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, expandRecurrence, parseRecurrenceRule } from '../src';
import { fastPathApplies, fastPathStarts } from '../src/recurrence/fast-path';
import { libraryStarts } from '../src/recurrence/library-path';
import { at, local, zone } from './helpers';

const weekdays = fc.uniqueArray(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'), {
  minLength: 1,
  maxLength: 7,
});

const simpleRule = fc.oneof(
  fc.record({
    freq: fc.constant('DAILY'),
    interval: fc.integer({ min: 1, max: 5 }),
    byDay: fc.option(weekdays),
    byMonth: fc.option(
      fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
    ),
  }),
  fc.record({
    freq: fc.constant('WEEKLY'),
    interval: fc.integer({ min: 1, max: 4 }),
    byDay: fc.option(weekdays),
    wkst: fc.constantFrom('MO', 'SU', 'WE'),
  }),
  fc.record({
    freq: fc.constant('MONTHLY'),
    interval: fc.integer({ min: 1, max: 7 }),
    byMonthDay: fc.option(
      fc.uniqueArray(
        fc.integer({ min: -31, max: 31 }).filter((d) => d !== 0),
        { minLength: 1, maxLength: 3 },
      ),
    ),
  }),
);

function text(rule: {
  freq: string;
  interval: number;
  byDay?: string[] | null;
  byMonth?: number[] | null;
  wkst?: string;
  byMonthDay?: number[] | null;
}): string {
  return [
    `FREQ=${rule.freq}`,
    `INTERVAL=${rule.interval}`,
    rule.byDay ? `BYDAY=${rule.byDay.join(',')}` : null,
    rule.byMonth ? `BYMONTH=${rule.byMonth.join(',')}` : null,
    rule.byMonthDay ? `BYMONTHDAY=${rule.byMonthDay.join(',')}` : null,
    rule.wkst ? `WKST=${rule.wkst}` : null,
  ]
    .filter(Boolean)
    .join(';');
}

describe('the fast path', () => {
  it('gives exactly what ical.js gives for simple rules, for any DTSTART and window', () => {
    fc.assert(
      fc.property(
        simpleRule,
        fc.integer({ min: 0, max: 4_000 }),
        fc.integer({ min: 0, max: 1_440 - 1 }),
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 70 }),
        (shape, startDay, minute, skip, length) => {
          const rule = parseRecurrenceRule(text(shape));
          expect(fastPathApplies(rule)).toBe(true);
          const startLocal = Date.UTC(2014, 0, 1) + startDay * MS_PER_DAY + minute * 60_000;
          const fromLocal = startLocal + skip * MS_PER_DAY - 7 * 3_600_000;
          const toLocal = fromLocal + length * MS_PER_DAY;
          expect(fastPathStarts(rule, startLocal, fromLocal, toLocal)).toEqual(
            libraryStarts(rule, startLocal, false, fromLocal, toLocal),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is not used for rules it cannot jump (COUNT, BYSETPOS, ordinal BYDAY, YEARLY)', () => {
    for (const rule of [
      'FREQ=DAILY;COUNT=3',
      'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1',
      'FREQ=MONTHLY;BYDAY=2TU',
      'FREQ=YEARLY',
      'FREQ=WEEKLY;BYHOUR=9',
    ]) {
      expect(fastPathApplies(parseRecurrenceRule(rule))).toBe(false);
    }
  });

  it('expands a weekday rule from 2015 into a month of 2027 on its wall clock', () => {
    const amsterdam = zone('Europe/Amsterdam');
    const occurrences = expandRecurrence(
      {
        startLocal: Date.UTC(2015, 0, 5, 9, 0),
        zone: amsterdam,
        allDay: false,
        duration: { days: 0, ms: 30 * 60_000 },
        rule: parseRecurrenceRule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
        rdates: [],
        exdates: [],
      },
      { start: at('2027-03-01T00:00:00Z'), end: at('2027-04-01T00:00:00Z') },
    );
    expect(occurrences).toHaveLength(23);
    expect(
      occurrences
        .map((o) => local(o.start, 'Europe/Amsterdam').slice(11))
        .every((t) => t === '09:00'),
    ).toBe(true);
    expect(occurrences.at(-1)?.start).toBe(at('2027-03-31T07:00:00Z'));
  });
});

describe('expansion across DST', () => {
  const zones = [
    'Europe/Amsterdam',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  ] as const;

  it('keeps every instance on the wall-clock time of DTSTART, moved forward only through a gap', () => {
    fc.assert(
      fc.property(
        simpleRule,
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 95 }),
        (shape, zoneId, startDay, quarter) => {
          const rule = parseRecurrenceRule(text(shape));
          const minute = quarter * 15;
          const startLocal = Date.UTC(2018, 0, 1) + startDay * MS_PER_DAY + minute * 60_000;
          const window = {
            start: startLocal + 200 * MS_PER_DAY,
            end: startLocal + 260 * MS_PER_DAY,
          };
          for (const o of expandRecurrence(
            {
              startLocal,
              zone: zone(zoneId),
              allDay: false,
              duration: { days: 0, ms: 3_600_000 },
              rule,
              rdates: [],
              exdates: [],
            },
            window,
          )) {
            const [hours, minutes] = local(o.start, zoneId).slice(11).split(':').map(Number);
            const shift = hours * 60 + minutes - minute;
            expect([0, 30, 60]).toContain(shift);
            expect(o.end - o.start).toBe(3_600_000);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
