import { describe, expect, it } from '@jest/globals';
import { parseRecurrenceRule } from '../src';

describe('reading an RRULE value', () => {
  it('accepts a trailing semicolon, lower case and spaces, and keeps the text canonical', () => {
    const rule = parseRecurrenceRule(' rrule:freq=weekly ; byday=mo,we ; wkst=su; ');
    expect(rule.text).toBe('FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU');
    expect([rule.freq, rule.byDay.map((d) => d.weekday), rule.wkst]).toEqual([
      'WEEKLY',
      ['MO', 'WE'],
      'SU',
    ]);
  });

  it('still rejects an empty part between others', () => {
    expect(() => parseRecurrenceRule('FREQ=DAILY;;COUNT=2')).toThrow(/malformed part/);
  });

  it('rejects RFC 7529 calendar scales as unsupported, saying so', () => {
    expect(() => parseRecurrenceRule('RSCALE=HEBREW;FREQ=YEARLY;SKIP=FORWARD')).toThrow(
      /RSCALE.*RFC 7529.*not supported/,
    );
  });
});
