import { toLocalIso } from '@cs/scheduling';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { localIsoFormatter } from './local-time';

const zones = [
  'Europe/Amsterdam',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
];

describe('localIsoFormatter', () => {
  it('says what toLocalIso says, across DST transitions (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), {
          minLength: 1,
          maxLength: 50,
        }),
        (zone, seconds) => {
          const format = localIsoFormatter(zone);
          for (const s of seconds) expect(format(s * 1000)).toBe(toLocalIso(s * 1000, zone));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is exact minutes around a spring-forward', () => {
    const format = localIsoFormatter('America/New_York');
    expect(format(Date.parse('2027-03-14T06:59:00Z'))).toBe('2027-03-14T01:59:00-05:00');
    expect(format(Date.parse('2027-03-14T07:00:00Z'))).toBe('2027-03-14T03:00:00-04:00');
  });
});
