import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  IcalError,
  MS_PER_DAY,
  expandRecurrence,
  instantToLocal,
  localToInstant,
  parseRecurrenceRule,
  ruleStarts,
} from '../src';
import { zone } from './helpers';
import { iso, randomRule, ruleText } from './oracle/random-rules';

const HOUR = 3_600_000;
const wall = (text: string) => Date.parse(`${text}Z`);

function starts(rule: string, dtstart: string, from: string, to: string, allDay = false) {
  return ruleStarts(parseRecurrenceRule(rule), wall(dtstart), {
    allDay,
    fromLocal: wall(from),
    toLocal: wall(to),
  }).map(iso);
}

function budgetError(run: () => unknown): IcalError {
  try {
    run();
  } catch (error) {
    if (error instanceof IcalError) return error;
    throw error;
  }
  throw new Error('expected a recurrence-budget error');
}

describe('rules that broke the libraries', () => {
  it('an all-day DAILY rule with negative BYMONTHDAY gives the last two days of each month', () => {
    expect(
      starts(
        'FREQ=DAILY;BYMONTHDAY=-1,-2',
        '2024-01-01T00:00:00',
        '2024-01-01T00:00:00',
        '2024-03-31T00:00:00',
        true,
      ),
    ).toEqual([
      '2024-01-30T00:00:00',
      '2024-01-31T00:00:00',
      '2024-02-28T00:00:00',
      '2024-02-29T00:00:00',
      '2024-03-30T00:00:00',
      '2024-03-31T00:00:00',
    ]);
  });

  it('a daily all-day rule ignores BYMINUTE, which a DATE cannot carry', () => {
    expect(
      starts(
        'FREQ=DAILY;BYMINUTE=15,45',
        '2024-05-01T00:00:00',
        '2024-05-01T00:00:00',
        '2024-05-03T00:00:00',
        true,
      ),
    ).toEqual(['2024-05-01T00:00:00', '2024-05-02T00:00:00', '2024-05-03T00:00:00']);
  });

  it('BYSETPOS picks from the day set after BYHOUR is applied', () => {
    expect(
      starts(
        'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9,17;BYSETPOS=-1,1',
        '2024-01-01T09:00:00',
        '2024-01-01T00:00:00',
        '2024-02-29T23:00:00',
      ),
    ).toEqual([
      '2024-01-01T09:00:00',
      '2024-01-31T17:00:00',
      '2024-02-01T09:00:00',
      '2024-02-29T17:00:00',
    ]);
  });

  it('INTERVAL still counts with BYMONTH: every other year in June', () => {
    expect(
      starts(
        'FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=1',
        '2020-06-01T10:00:00',
        '2020-01-01T00:00:00',
        '2027-01-01T00:00:00',
      ),
    ).toEqual([
      '2020-06-01T10:00:00',
      '2022-06-01T10:00:00',
      '2024-06-01T10:00:00',
      '2026-06-01T10:00:00',
    ]);
  });

  it('the first instance of a monthly rule is DTSTART when it matches', () => {
    expect(
      starts(
        'FREQ=MONTHLY;BYDAY=1MO',
        '2024-01-01T08:00:00',
        '2024-01-01T00:00:00',
        '2024-03-31T00:00:00',
      ),
    ).toEqual(['2024-01-01T08:00:00', '2024-02-05T08:00:00', '2024-03-04T08:00:00']);
  });

  it('a BYMONTHDAY a month lacks is skipped, not clamped', () => {
    expect(
      starts(
        'FREQ=MONTHLY;BYMONTHDAY=31',
        '2024-01-31T08:00:00',
        '2024-01-01T00:00:00',
        '2024-06-30T00:00:00',
      ),
    ).toEqual(['2024-01-31T08:00:00', '2024-03-31T08:00:00', '2024-05-31T08:00:00']);
  });

  it('a rule that can never match ends with nothing, with or without COUNT', () => {
    for (const rule of [
      'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      'FREQ=YEARLY;COUNT=3;BYMONTH=2;BYMONTHDAY=30',
    ]) {
      expect(
        starts(rule, '2015-01-01T00:00:00', '2026-01-01T00:00:00', '2030-01-01T00:00:00'),
      ).toEqual([]);
    }
  });

  it('a COUNT rule counts from DTSTART however far the window is (the 598th is 15 June 2026)', () => {
    expect(
      starts(
        'FREQ=WEEKLY;COUNT=598;BYDAY=MO',
        '2015-01-05T09:00:00',
        '2026-06-01T00:00:00',
        '2026-07-01T00:00:00',
      ),
    ).toEqual(['2026-06-01T09:00:00', '2026-06-08T09:00:00', '2026-06-15T09:00:00']);
  });

  it('RFC 5545 week numbers follow WKST: week 1 holds at least four days of the year', () => {
    // 2026 begins on a Thursday: with WKST=MO week 1 starts 29 December 2025; with WKST=FR
    // the week of 1 January has only one day of 2026, so week 1 starts 2 January.
    const week1 = (wkst: string) =>
      starts(
        `FREQ=YEARLY;BYWEEKNO=1;WKST=${wkst}`,
        '2025-01-01T00:00:00',
        '2025-12-20T00:00:00',
        '2026-01-20T00:00:00',
        true,
      );
    expect(week1('MO')[0]).toBe('2025-12-29T00:00:00');
    expect(week1('FR')[0]).toBe('2026-01-02T00:00:00');
  });

  it("a negative week number naming the next year's week 1 keeps its December days", () => {
    // With WKST=FR, 2012 has 53 weeks and its week 1 begins on Friday 30 December 2011: week
    // -53 of 2012 is that week, just as BYWEEKNO=1 is.
    const week = (weekNo: string) =>
      starts(
        `FREQ=YEARLY;BYWEEKNO=${weekNo};WKST=FR`,
        '2007-04-07T00:00:00',
        '2011-05-13T00:00:00',
        '2012-01-10T00:00:00',
        true,
      );
    expect(week('-53')).toEqual(week('1'));
    expect(week('-53')).toEqual([
      '2011-12-30T00:00:00',
      '2011-12-31T00:00:00',
      '2012-01-01T00:00:00',
      '2012-01-02T00:00:00',
      '2012-01-03T00:00:00',
      '2012-01-04T00:00:00',
      '2012-01-05T00:00:00',
    ]);
  });
});

describe('the expansion budget', () => {
  it('stops a rule that examines too many periods, naming the limit', () => {
    const error = budgetError(() =>
      ruleStarts(parseRecurrenceRule('FREQ=SECONDLY;BYHOUR=23;BYMINUTE=59;BYSECOND=59'), 0, {
        allDay: false,
        fromLocal: 0,
        toLocal: 30 * MS_PER_DAY,
      }),
    );
    expect([error.code, error.property]).toEqual(['recurrence-budget', 'RRULE']);
    expect(error.detail).toMatch(/maxSteps/);
  });

  it('stops a rule that yields too many instances, naming the limit', () => {
    const error = budgetError(() =>
      ruleStarts(parseRecurrenceRule('FREQ=MINUTELY'), 0, {
        allDay: false,
        fromLocal: 0,
        toLocal: 30 * MS_PER_DAY,
        budget: { maxSteps: 1e9, maxInstances: 10_000 },
      }),
    );
    expect([error.code, error.detail]).toEqual([
      'recurrence-budget',
      expect.stringMatching(/maxInstances/),
    ]);
  });
});

describe('jumping to the window', () => {
  it('gives exactly the slice that walking from DTSTART gives, for rules without COUNT', () => {
    fc.assert(
      fc.property(randomRule, (r) => {
        const rule = parseRecurrenceRule(ruleText({ ...r, end: null }, false));
        const options = {
          allDay: r.allDay,
          toLocal: r.to,
          budget: { maxSteps: 5e7, maxInstances: 1e6 },
        };
        const jumped = ruleStarts(rule, r.start, { ...options, fromLocal: r.from });
        const walked = ruleStarts(rule, r.start, { ...options, fromLocal: r.start });
        expect(jumped).toEqual(walked.filter((t) => t >= r.from));
      }),
      { numRuns: 300 },
    );
  });
});

describe('expansion in a zone with DST', () => {
  it('expands a weekday rule from 2015 into a month of 2027 on its wall clock', () => {
    const occurrences = expandRecurrence(
      {
        startLocal: Date.UTC(2015, 0, 5, 9, 0),
        zone: zone('Europe/Amsterdam'),
        allDay: false,
        duration: { days: 0, ms: 30 * 60_000 },
        rule: parseRecurrenceRule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'),
        rdates: [],
        exdates: [],
      },
      { start: Date.parse('2027-03-01T00:00:00Z'), end: Date.parse('2027-04-01T00:00:00Z') },
    );
    expect(occurrences).toHaveLength(23);
    // 09:00 in Amsterdam is 08:00Z in winter and 07:00Z after 28 March 2027.
    expect(occurrences[0]?.start).toBe(Date.parse('2027-03-01T08:00:00Z'));
    expect(occurrences.at(-1)?.start).toBe(Date.parse('2027-03-31T07:00:00Z'));
  });

  const rules = [
    'FREQ=DAILY',
    'FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=0,30',
    'FREQ=WEEKLY;BYDAY=SU',
    'FREQ=MONTHLY;BYDAY=-1SU',
    'FREQ=YEARLY;BYMONTH=3,11;BYDAY=1SU,2SU',
    'FREQ=HOURLY;INTERVAL=5',
  ];

  it('places each engine start on its wall-clock time, a nonexistent one shifted by the gap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Amsterdam', 'America/New_York'),
        fc.constantFrom(...rules),
        fc.integer({
          min: Date.UTC(2016, 0, 1) / MS_PER_DAY,
          max: Date.UTC(2030, 0, 1) / MS_PER_DAY,
        }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 3, max: 400 }),
        fc.integer({ min: 1, max: 120 }),
        (zoneId, text, startDay, halfHour, skip, days) => {
          const tz = zone(zoneId);
          const rule = parseRecurrenceRule(text);
          const startLocal = startDay * MS_PER_DAY + (halfHour * HOUR) / 2;
          const window = {
            start: localToInstant(tz, startLocal + skip * MS_PER_DAY),
            end: localToInstant(tz, startLocal + (skip + days) * MS_PER_DAY),
          };
          const series = {
            startLocal,
            zone: tz,
            allDay: false,
            duration: { days: 0, ms: HOUR },
            rule,
            rdates: [],
            exdates: [],
          };
          const occurrences = expandRecurrence(series, window);
          const engine = ruleStarts(rule, startLocal, {
            allDay: false,
            fromLocal: startLocal + (skip - 1) * MS_PER_DAY,
            toLocal: startLocal + (skip + days + 1) * MS_PER_DAY,
          });
          const expected = [...new Set(engine.map((t) => localToInstant(tz, t)))]
            .filter((t) => t < window.end && t + HOUR > window.start)
            .sort((a, b) => a - b);
          expect(occurrences.map((o) => o.start)).toEqual(expected);
          for (const local of engine) {
            const shift = instantToLocal(tz, localToInstant(tz, local)) - local;
            if (shift === 0) continue;
            // RFC 5545 §3.3.5: a time in a spring-forward gap means the same time read with
            // the offset before the gap, so it lands one hour (the gap) later.
            const offsets = [
              tz.offsetAt(local - 12 * HOUR - 2 * HOUR),
              tz.offsetAt(local + 12 * HOUR),
            ];
            expect(offsets.some((o) => instantToLocal(tz, local - o) === local)).toBe(false);
            expect(shift).toBe(HOUR);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
