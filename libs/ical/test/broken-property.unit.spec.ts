import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { parseCalendar } from '../src';

const EVENTS = 6;
const event = (n: number) => [
  'BEGIN:VEVENT',
  `UID:event-${n}`,
  `DTSTART;TZID=Europe/Amsterdam:202612${String(n + 1).padStart(2, '0')}T090000`,
  'DURATION:PT1H',
  `SUMMARY:Visit ${n} with a summary long enough that a producer would fold it over two`,
  ' lines, as RFC 5545 asks',
  'RRULE:FREQ=WEEKLY;COUNT=3',
  'END:VEVENT',
];
const header = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN'];
const eventLines = Array.from({ length: EVENTS }, (_, n) => event(n));
const lines = [...header, ...eventLines.flat(), 'END:VCALENDAR'];
/** The index range in `lines` of each event's own lines. */
const ranges = eventLines.map((_, n) => {
  const start = header.length + eventLines.slice(0, n).flat().length;
  return [start, start + eventLines[n].length] as const;
});

const garbage = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'END:VEVENT',
    'BEGIN:VEVENT',
    'END:VCALENDAR',
    'BEGIN:VALARM',
    'DTSTART:nonsense',
    ' continuation',
    '\uFEFF',
    'RRULE:FREQ=NEVER',
    'X-JUNK;PARAM="unclosed:value',
  ),
);
const edit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(lines.length), text: garbage }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(lines.length - 1) }),
);

describe('a valid calendar, damaged at random', () => {
  it('never throws and keeps every event whose lines were untouched', () => {
    fc.assert(
      fc.property(
        fc.array(edit, { maxLength: 6 }),
        fc.constantFrom('\r\n', '\n', '\r'),
        (edits, eol) => {
          // Each line remembers where it came from; an edit touches the lines around it.
          let tagged: Array<{ text: string; from: number | null }> = lines.map((text, from) => ({
            text,
            from,
          }));
          const touched = new Set<number>();
          for (const step of edits) {
            const at = Math.min(step.at, tagged.length - (step.kind === 'remove' ? 1 : 0));
            if (at < 0) continue;
            for (const neighbour of [tagged[at - 1], tagged[at]])
              if (neighbour?.from != null) touched.add(neighbour.from);
            tagged =
              step.kind === 'insert'
                ? [...tagged.slice(0, at), { text: step.text, from: null }, ...tagged.slice(at)]
                : [...tagged.slice(0, at), ...tagged.slice(at + 1)];
          }
          const calendar = parseCalendar(tagged.map((l) => l.text).join(eol));
          const kept = new Set(calendar.events.map((e) => e.uid));
          ranges.forEach(([from, to], n) => {
            const untouched = Array.from({ length: to - from }, (_, i) => from + i).every(
              (i) => !touched.has(i),
            );
            if (untouched) expect(kept).toContain(`event-${n}`);
          });
          for (const problem of calendar.problems) expect(problem.reason).not.toBe('');
        },
      ),
      { numRuns: 400 },
    );
  });
});
