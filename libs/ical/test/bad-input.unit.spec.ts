import { describe, expect, it } from '@jest/globals';
import { IcalError, parseCalendar, parseRecurrenceRule } from '../src';
import { fixture } from './helpers';

const good = (uid: string) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTART:20260301T090000Z',
  'DTEND:20260301T100000Z',
  'END:VEVENT',
];

/** A calendar with a good event on each side of `middle`; line numbers are 1-based. */
function sandwich(middle: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    ...good('before'),
    ...middle,
    ...good('after'),
    'END:VCALENDAR',
  ].join('\r\n');
}
// Line 8 is the first line of `middle`.

/** The one problem with `middle`; `kept` says whether its event is read despite it. */
function single(middle: string[], kept = false) {
  const result = parseCalendar(sandwich(middle));
  expect(result.events.map((e) => e.uid)).toEqual(
    kept ? ['before', 'x', 'after'] : ['before', 'after'],
  );
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toBeInstanceOf(IcalError);
  expect(result.problems).toEqual([
    expect.objectContaining({ line: result.errors[0].line, code: result.errors[0].code, kept }),
  ]);
  return result.errors[0];
}

describe('bad input gives a typed error naming the line or property, and keeps the good events', () => {
  it('missing DTSTART', () => {
    const error = single(['BEGIN:VEVENT', 'UID:x', 'SUMMARY:no start', 'END:VEVENT']);
    expect([error.code, error.property, error.line]).toEqual(['missing-property', 'DTSTART', 8]);
  });

  it('missing UID', () => {
    const error = single(['BEGIN:VEVENT', 'DTSTART:20260301T090000Z', 'END:VEVENT']);
    expect([error.code, error.property, error.line]).toEqual(['missing-property', 'UID', 8]);
  });

  it('an unknown TZID keeps the event, read as floating time', () => {
    const error = single(
      ['BEGIN:VEVENT', 'UID:x', 'DTSTART;TZID=Mars/Olympus_Mons:20260301T090000', 'END:VEVENT'],
      true,
    );
    expect([error.code, error.property, error.line]).toEqual(['unknown-tzid', 'TZID', 10]);
    expect(error.detail).toBe('unknown time zone "Mars/Olympus_Mons", read as floating time');
    const event = parseCalendar(
      sandwich(['BEGIN:VEVENT', 'UID:x', 'DTSTART;TZID=Mars:20260301T090000', 'END:VEVENT']),
    ).events[1];
    expect(event.start).toEqual({ kind: 'floating', localMs: Date.UTC(2026, 2, 1, 9) });
  });

  it.each([
    ['FREQ=WEEKLY;BYDAY=MO;FOO=1', /unknown part FOO/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL must be a positive integer/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY value "32"/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20260401T000000Z', /COUNT and UNTIL/],
    ['INTERVAL=2', /FREQ is missing/],
    ['FREQ=FORTNIGHTLY', /FREQ/],
    ['FREQ=WEEKLY;BYDAY=XX', /BYDAY/],
    ['FREQ=WEEKLY;UNTIL=tomorrow', /UNTIL/],
  ])('an RRULE with an invalid part keeps only the first instance: %s', (rule, message) => {
    const error = single(
      ['BEGIN:VEVENT', 'UID:x', 'DTSTART:20260301T090000Z', `RRULE:${rule}`, 'END:VEVENT'],
      true,
    );
    expect([error.code, error.property, error.line]).toEqual(['invalid-rrule', 'RRULE', 11]);
    expect(error.message).toMatch(message);
    expect(error.detail).toMatch(/only the first instance is counted$/);
  });

  it('an invalid date-time value', () => {
    const error = single(['BEGIN:VEVENT', 'UID:x', 'DTSTART:20261301T250000Z', 'END:VEVENT']);
    expect([error.code, error.property, error.line]).toEqual(['invalid-value', 'DTSTART', 10]);
  });

  it('DTEND before DTSTART, or a date mixed with a date-time', () => {
    const backwards = single([
      'BEGIN:VEVENT',
      'UID:x',
      'DTSTART:20260301T090000Z',
      'DTEND:20260301T080000Z',
      'END:VEVENT',
    ]);
    expect([backwards.code, backwards.property, backwards.line]).toEqual([
      'invalid-value',
      'DTEND',
      11,
    ]);
    const mixed = single([
      'BEGIN:VEVENT',
      'UID:x',
      'DTSTART;VALUE=DATE:20260301',
      'DTEND:20260301T080000Z',
      'END:VEVENT',
    ]);
    expect([mixed.code, mixed.property]).toEqual(['invalid-value', 'DTEND']);
  });

  it('a malformed DURATION', () => {
    const error = single([
      'BEGIN:VEVENT',
      'UID:x',
      'DTSTART:20260301T090000Z',
      'DURATION:1 hour',
      'END:VEVENT',
    ]);
    expect([error.code, error.property, error.line]).toEqual(['invalid-value', 'DURATION', 11]);
  });

  it('a line that is not a content line is left out, the event kept', () => {
    const error = single(
      ['BEGIN:VEVENT', 'UID:x', 'this line has no colon', 'DTSTART:20260301T090000Z', 'END:VEVENT'],
      true,
    );
    expect([error.code, error.line]).toEqual(['syntax', 10]);
  });

  it('an END that closes the wrong component supplies the missing END', () => {
    const error = single(
      ['BEGIN:VEVENT', 'UID:x', 'DTSTART:20260301T090000Z', 'BEGIN:VALARM', 'END:VEVENT'],
      true,
    );
    expect([error.code, error.line, error.detail]).toEqual([
      'syntax',
      12,
      'END:VALARM is missing before line 12',
    ]);
  });

  it('a truncated file keeps the complete events and names where the cut one began', () => {
    const lines = fixture('google.ics').split('\n');
    const cut = lines.findIndex((l) => l.startsWith('UID:allday-2'));
    const result = parseCalendar(lines.slice(0, cut + 1).join('\n'));
    expect(result.events.map((e) => e.uid)).toEqual([
      '3k5v1t0q8o1n4rj0e4r7s5qbbb@google.com',
      '3k5v1t0q8o1n4rj0e4r7s5qbbb@google.com',
      'allday-1@google.com',
    ]);
    expect(result.errors.map((e) => [e.code, e.line])).toEqual([
      ['truncated', cut - 3],
      ['truncated', cut + 1],
    ]);
  });

  it('text that is not iCalendar at all', () => {
    const result = parseCalendar('<!doctype html><html><body>Not found</body></html>');
    expect(result.events).toEqual([]);
    expect(result.errors.map((e) => e.code)).toContain('truncated');
  });

  it('an unknown X-WR-TIMEZONE', () => {
    const result = parseCalendar(
      ['BEGIN:VCALENDAR', 'X-WR-TIMEZONE:Europe/Atlantis', ...good('a'), 'END:VCALENDAR'].join(
        '\n',
      ),
    );
    expect(result.events).toHaveLength(1);
    expect(result.errors.map((e) => [e.code, e.property, e.line])).toEqual([
      ['unknown-tzid', 'X-WR-TIMEZONE', 2],
    ]);
    expect(result.problems[0]).toMatchObject({ eventUid: null, kept: true });
  });

  it('an RRULE string given on its own names the part', () => {
    expect(() => parseRecurrenceRule('FREQ=DAILY;BYHOUR=24')).toThrow(IcalError);
    expect(() => parseRecurrenceRule('FREQ=DAILY;BYHOUR=24')).toThrow(/BYHOUR value "24"/);
  });
});
