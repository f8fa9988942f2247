import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseCalendar } from '../src';

const broken = (name: string) => readFileSync(join(__dirname, 'fixtures', 'broken', name), 'utf8');

/** What a person reads for each problem: UID (or line) and reason; `kept` says whether it cost the event. */
const problems = (text: string) =>
  parseCalendar(text).problems.map((p) => [p.eventUid ?? `line ${p.line}`, p.reason, p.kept]);
const uids = (text: string) => parseCalendar(text).events.map((e) => e.uid);

describe('a corpus of broken calendars: every readable event kept, every other one named', () => {
  it('a BOM, blank lines and a VEVENT without DTSTART (the feed once refused whole)', () => {
    const text = broken('bom-blank-no-dtstart.ics');
    expect(uids(text)).toEqual(['good-1', 'good-2']);
    expect(problems(text)).toEqual([
      ['no-start', 'VEVENT has no DTSTART; the event was left out', false],
    ]);
  });

  it('LF line endings and an unparseable DTSTART', () => {
    const text = broken('lf-bad-dtstart.ics');
    expect(uids(text)).toEqual(['good-1', 'good-2']);
    expect(problems(text)).toEqual([
      [
        'bad-start',
        'DTSTART "2026-13-45" is not a valid date or date-time; the event was left out',
        false,
      ],
    ]);
  });

  it('CR-only line endings and a date that does not exist', () => {
    const text = broken('cr-only.ics');
    expect(uids(text)).toEqual(['good-1', 'good-2']);
    expect(parseCalendar(text).problems).toEqual([
      expect.objectContaining({ eventUid: 'bad-date', line: 12, code: 'invalid-value' }),
    ]);
  });

  it('continuation lines without the leading space', () => {
    const text = broken('broken-folding.ics');
    expect(uids(text)).toEqual(['good-1', 'good-2']);
    const calendar = parseCalendar(text);
    expect(calendar.events[0].location).toBe('Room 1');
    expect(calendar.events[1].summary).toBe('Call');
    expect(problems(text)).toEqual([
      ['good-1', 'line 10 is not an iCalendar property and was ignored', true],
    ]);
  });

  it('a fold inside a UTF-8 character costs the character, not the event', () => {
    const calendar = parseCalendar(broken('fold-inside-utf8.ics'));
    expect(calendar.events.map((e) => e.uid)).toEqual(['good-1']);
    expect(calendar.events[0].summary).toMatch(/^Caf.+ au lait$/);
    expect(calendar.problems).toEqual([]);
  });

  it('an unknown TZID is read in the calendar time zone, and said so', () => {
    const calendar = parseCalendar(broken('unknown-tzid.ics'));
    const event = calendar.events.find((e) => e.uid === 'custom-zone')!;
    expect(event.start).toMatchObject({ kind: 'zoned', zone: { id: 'Europe/Amsterdam' } });
    expect(event.duration).toEqual({ days: 0, ms: 3_600_000 });
    expect(calendar.problems).toEqual([
      {
        eventUid: 'custom-zone',
        line: 7,
        code: 'unknown-tzid',
        reason: `unknown time zone "Custom/Nowhere", read in the calendar's time zone Europe/Amsterdam`,
        kept: true,
      },
    ]);
  });

  it('garbage lines before, between, inside and after the events', () => {
    const text = broken('garbage-lines.ics');
    expect(uids(text)).toEqual(['good-1', 'with-garbage']);
    expect(problems(text)).toEqual([
      ['line 1', 'line 1 is not an iCalendar property and was ignored', true],
      ['line 5', 'line 5 is not an iCalendar property and was ignored', true],
      ['line 12', 'line 12 is not an iCalendar property and was ignored', true],
      ['with-garbage', 'line 16 is not an iCalendar property and was ignored', true],
      ['line 20', 'line 20 is not an iCalendar property and was ignored', true],
    ]);
  });

  it('a missing END:VEVENT, and a file cut off without END:VCALENDAR', () => {
    const text = broken('missing-ends.ics');
    expect(uids(text)).toEqual(['no-end', 'good-1']);
    expect(problems(text)).toEqual([
      ['no-end', 'VEVENT has no END:VEVENT; it is read up to line 7', true],
      ['cut-off', 'VEVENT is cut off by the end of the file; the event was left out', false],
      ['line 16', 'END:VCALENDAR is missing', true],
    ]);
  });

  it('duplicated properties: the first one is used', () => {
    const calendar = parseCalendar(broken('duplicated-properties.ics'));
    expect(calendar.events.map((e) => [e.uid, new Date(e.start.localMs).toISOString()])).toEqual([
      ['twice', '2026-12-01T09:00:00.000Z'],
      ['good-1', '2026-12-02T09:00:00.000Z'],
    ]);
    expect(calendar.problems.map((p) => [p.eventUid, p.line, p.reason])).toEqual([
      ['twice', 6, 'UID appears more than once; the first one is used'],
      ['twice', 8, 'DTSTART appears more than once; the first one is used'],
    ]);
  });

  it('bad properties cost the property; a bad DTEND or a missing UID costs the event', () => {
    const text = broken('bad-properties.ics');
    expect(uids(text)).toEqual(['odd-props', 'good-1']);
    expect(problems(text)).toEqual([
      ['odd-props', 'line 10 is not an iCalendar property and was ignored', true],
      [
        'odd-props',
        'RDATE "tomorrow" is not a valid date or date-time; every RDATE of the event was left out',
        true,
      ],
      [
        'bad-end',
        'DTEND "whenever" is not a valid date or date-time; the event was left out',
        false,
      ],
      ['line 18', 'VEVENT has no UID; the event was left out', false],
    ]);
  });

  it('events without a VCALENDAR around them', () => {
    const text = broken('no-vcalendar.ics');
    expect(uids(text)).toEqual(['good-1', 'good-2']);
    expect(problems(text)).toEqual([
      ['line 1', 'BEGIN:VEVENT outside a calendar; read as if inside one', true],
      ['line 12', 'END:VCALENDAR is missing', true],
    ]);
  });

  it('a page that is no calendar at all gives no events and says so', () => {
    const calendar = parseCalendar(broken('not-a-calendar.txt'));
    expect(calendar.events).toEqual([]);
    expect(calendar.problems.map((p) => p.reason)).toContain('no BEGIN:VCALENDAR found');
  });

  it('no reason carries a parser library message', () => {
    const texts = [
      'bad-properties.ics',
      'garbage-lines.ics',
      'broken-folding.ics',
      'missing-ends.ics',
    ].map((name) => broken(name));
    for (const text of texts)
      for (const problem of parseCalendar(text).problems)
        expect(problem.reason).not.toMatch(/invalid line|Cannot read|undefined|TypeError/);
  });
});
