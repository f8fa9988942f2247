import { describe, expect, it } from '@jest/globals';
import { itemContent } from './item-instances';
import { PROBLEMS_SHOWN, sameProblems, summarizeProblems } from './problems';

const NOW = Date.parse('2026-11-20T08:00:00Z');
const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];

describe('the problems of an item', () => {
  it('a rule that cannot be expanded over the horizon counts at its first instance only', () => {
    const content = itemContent(
      ics(
        ...vevent(
          'UID:every-second',
          'DTSTART:20261201T090000Z',
          'DURATION:PT1H',
          'RRULE:FREQ=SECONDLY',
          'EXDATE:20261201T090001Z',
        ),
      ),
      NOW,
      [],
    );
    expect(content.instances).toEqual([
      expect.objectContaining({
        eventUid: 'every-second',
        start: '2026-12-01T09:00:00.000Z',
        end: '2026-12-01T10:00:00.000Z',
        rrule: null,
        exdates: [],
      }),
    ]);
    expect(content.problems).toEqual([
      {
        eventUid: 'every-second',
        line: 3,
        reason: expect.stringMatching(
          /^the recurrence rule could not be expanded \(.+\); only the first instance is counted$/,
        ),
      },
    ]);
  });

  it('an expandable rule is sent as it is, without a problem', () => {
    const content = itemContent(
      ics(...vevent('UID:weekly', 'DTSTART:20261201T090000Z', 'RRULE:FREQ=WEEKLY')),
      NOW,
      [],
    );
    expect(content.instances[0].rrule).toBe('FREQ=WEEKLY');
    expect(content.problems).toEqual([]);
  });

  it('names an unreadable event by UID and reason, and keeps the readable ones', () => {
    const content = itemContent(
      ics(
        ...vevent('UID:fine', 'DTSTART:20261201T090000Z'),
        ...vevent('UID:no-start', 'SUMMARY:Party'),
        ...vevent('DTSTART:20261201T090000Z'),
      ),
      NOW,
      [],
    );
    expect(content.instances.map((i) => i.eventUid)).toEqual(['fine']);
    expect(content.problems).toEqual([
      { eventUid: 'no-start', line: 7, reason: 'VEVENT has no DTSTART; the event was left out' },
      { eventUid: null, line: 11, reason: 'VEVENT has no UID; the event was left out' },
    ]);
  });
});

describe("a calendar's problems", () => {
  const problem = (n: number) => ({ eventUid: `e-${n}`, line: n, reason: 'broken' });

  it('shows the first ones in a stable order, with how many there are', () => {
    const items = [
      Array.from({ length: 80 }, (_, n) => problem(n)),
      Array.from({ length: 80 }, (_, n) => problem(80 + n)),
    ];
    const summary = summarizeProblems(items);
    expect(summary.total).toBe(160);
    expect(summary.problems).toHaveLength(PROBLEMS_SHOWN);
    expect(sameProblems(summary, summarizeProblems([...items].reverse()))).toBe(true);
    expect(sameProblems(summary, summarizeProblems([items[0]]))).toBe(false);
    const readBack = {
      total: summary.total,
      problems: summary.problems.map(({ reason, line, eventUid }) => ({ reason, line, eventUid })),
    };
    expect(sameProblems(summary, readBack)).toBe(true);
  });
});
