import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecurrenceRule } from '../src';
import { libraryStarts } from '../src/recurrence/library-path';
import { jumpedStart } from '../src/recurrence/period-jump';

const DAY = 86_400_000;

/** Rules the fast path leaves to the libraries, none with COUNT: they run for ever. */
const rules = [
  'FREQ=MONTHLY;BYDAY=2TU',
  'FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1',
  'FREQ=MONTHLY;BYMONTHDAY=15',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'FREQ=YEARLY;INTERVAL=2;BYMONTH=11;BYMONTHDAY=24',
  'FREQ=YEARLY;BYDAY=20MO',
  'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
  'FREQ=YEARLY;BYYEARDAY=1,100,-1',
  'FREQ=YEARLY',
  'FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH;WKST=SU',
  'FREQ=DAILY;INTERVAL=5;BYMONTH=1,7',
];

describe('jumping a rule without COUNT to its window', () => {
  it('gives exactly the occurrences that walking from DTSTART gives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...rules),
        fc.integer({ min: Date.UTC(2010, 0, 1) / DAY, max: Date.UTC(2020, 0, 1) / DAY }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2030, 0, 1) / DAY }),
        fc.integer({ min: 1, max: 120 }),
        (text, startDay, hour, fromDay, days) => {
          const rule = parseRecurrenceRule(text);
          const start = startDay * DAY + hour * 3_600_000;
          const from = fromDay * DAY;
          const to = from + days * DAY;
          expect(libraryStarts(rule, start, false, from, to)).toEqual(
            libraryStarts(rule, start, false, from, to, false),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not move a rule with COUNT, or a default day that shorter months lack', () => {
    const from = Date.UTC(2027, 0, 1);
    expect(
      jumpedStart(
        parseRecurrenceRule('FREQ=MONTHLY;COUNT=500;BYDAY=1MO'),
        Date.UTC(2015, 0, 5),
        from,
      ),
    ).toBeNull();
    expect(jumpedStart(parseRecurrenceRule('FREQ=YEARLY'), Date.UTC(2016, 1, 29), from)).toBeNull();
    expect(
      jumpedStart(parseRecurrenceRule('FREQ=MONTHLY;BYDAY=1MO'), Date.UTC(2015, 0, 5, 9), from),
    ).toBe(Date.UTC(2026, 11, 1, 9));
  });
});
