import { describe, expect, it } from '@jest/globals';
import { expandRecurrence, localToInstant, parseRecurrenceRule } from '../src';
import { at, local, zone } from './helpers';

const NY = 'America/New_York';

/** RFC 5545 §3.8.5.3 examples, with DTSTART;TZID=America/New_York as in the RFC. */
function expand(dtstart: string, rrule: string, until: string, exdates: string[] = []): string[] {
  const ny = zone(NY);
  const wall = (text: string) =>
    Date.parse(
      `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:00Z`,
    );
  return expandRecurrence(
    {
      startLocal: wall(dtstart),
      zone: ny,
      allDay: false,
      duration: { days: 0, ms: 3_600_000 },
      rule: parseRecurrenceRule(rrule),
      rdates: [],
      exdates: exdates.map((e) => localToInstant(ny, wall(e))),
    },
    { start: localToInstant(ny, wall(dtstart)), end: at(until) },
  ).map((o) => local(o.start, NY));
}

const days = (prefix: string, list: number[], time = '09:00') =>
  list.map((d) => `${prefix}-${String(d).padStart(2, '0')} ${time}`);

describe('RFC 5545 §3.8.5.3 recurrence examples', () => {
  it('daily for 10 occurrences', () => {
    expect(expand('19970902T090000', 'FREQ=DAILY;COUNT=10', '1998-01-01T00:00:00Z')).toEqual(
      days('1997-09', [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    );
  });

  it('daily until December 24, 1997', () => {
    const result = expand(
      '19970902T090000',
      'FREQ=DAILY;UNTIL=19971224T000000Z',
      '1998-06-01T00:00:00Z',
    );
    expect(result).toHaveLength(113);
    expect(result.at(-1)).toBe('1997-12-23 09:00');
  });

  it('every 10 days, 5 occurrences', () => {
    expect(
      expand('19970902T090000', 'FREQ=DAILY;INTERVAL=10;COUNT=5', '1998-01-01T00:00:00Z'),
    ).toEqual([...days('1997-09', [2, 12, 22]), ...days('1997-10', [2, 12])]);
  });

  it('weekly for 10 occurrences, keeping 09:00 across the end of DST', () => {
    expect(expand('19970902T090000', 'FREQ=WEEKLY;COUNT=10', '1998-01-01T00:00:00Z')).toEqual([
      ...days('1997-09', [2, 9, 16, 23, 30]),
      ...days('1997-10', [7, 14, 21, 28]),
      ...days('1997-11', [4]),
    ]);
  });

  it('weekly on Tuesday and Thursday for five weeks', () => {
    expect(
      expand(
        '19970902T090000',
        'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
        '1998-01-01T00:00:00Z',
      ),
    ).toEqual([...days('1997-09', [2, 4, 9, 11, 16, 18, 23, 25, 30]), ...days('1997-10', [2])]);
  });

  it('every other week on Monday, Wednesday and Friday until December 24, 1997', () => {
    expect(
      expand(
        '19970901T090000',
        'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
        '1998-01-01T00:00:00Z',
      ),
    ).toEqual([
      ...days('1997-09', [1, 3, 5, 15, 17, 19, 29]),
      ...days('1997-10', [1, 3, 13, 15, 17, 27, 29, 31]),
      ...days('1997-11', [10, 12, 14, 24, 26, 28]),
      ...days('1997-12', [8, 10, 12, 22]),
    ]);
  });

  it('WKST changes which days an every-other-week rule produces', () => {
    expect(
      expand(
        '19970805T090000',
        'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
        '1998-01-01T00:00:00Z',
      ),
    ).toEqual(days('1997-08', [5, 10, 19, 24]));
    expect(
      expand(
        '19970805T090000',
        'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
        '1998-01-01T00:00:00Z',
      ),
    ).toEqual(days('1997-08', [5, 17, 19, 31]));
  });

  it('monthly on the first Friday for 10 occurrences', () => {
    expect(
      expand('19970905T090000', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', '1999-01-01T00:00:00Z'),
    ).toEqual([
      '1997-09-05 09:00',
      '1997-10-03 09:00',
      '1997-11-07 09:00',
      '1997-12-05 09:00',
      '1998-01-02 09:00',
      '1998-02-06 09:00',
      '1998-03-06 09:00',
      '1998-04-03 09:00',
      '1998-05-01 09:00',
      '1998-06-05 09:00',
    ]);
  });

  it('every other month on the first and last Sunday', () => {
    expect(
      expand(
        '19970907T090000',
        'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
        '1999-01-01T00:00:00Z',
      ),
    ).toEqual([
      '1997-09-07 09:00',
      '1997-09-28 09:00',
      '1997-11-02 09:00',
      '1997-11-30 09:00',
      '1998-01-04 09:00',
      '1998-01-25 09:00',
      '1998-03-01 09:00',
      '1998-03-29 09:00',
      '1998-05-03 09:00',
      '1998-05-31 09:00',
    ]);
  });

  it('monthly on the second-to-last Monday for 6 months', () => {
    expect(
      expand('19970922T090000', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', '1999-01-01T00:00:00Z'),
    ).toEqual([
      '1997-09-22 09:00',
      '1997-10-20 09:00',
      '1997-11-17 09:00',
      '1997-12-22 09:00',
      '1998-01-19 09:00',
      '1998-02-16 09:00',
    ]);
  });

  it('monthly on the third-to-the-last day of the month, forever', () => {
    expect(expand('19970928T090000', 'FREQ=MONTHLY;BYMONTHDAY=-3', '1998-03-01T00:00:00Z')).toEqual(
      [
        '1997-09-28 09:00',
        '1997-10-29 09:00',
        '1997-11-28 09:00',
        '1997-12-29 09:00',
        '1998-01-29 09:00',
        '1998-02-26 09:00',
      ],
    );
  });

  it('monthly on the 2nd and 15th for 10 occurrences', () => {
    expect(
      expand('19970902T090000', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', '1999-01-01T00:00:00Z'),
    ).toEqual([
      ...days('1997-09', [2, 15]),
      ...days('1997-10', [2, 15]),
      ...days('1997-11', [2, 15]),
      ...days('1997-12', [2, 15]),
      ...days('1998-01', [2, 15]),
    ]);
  });

  it('an invalid date (February 30) is ignored', () => {
    expect(
      expand('20070115T090000', 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5', '2008-01-01T00:00:00Z'),
    ).toEqual([
      '2007-01-15 09:00',
      '2007-01-30 09:00',
      '2007-02-15 09:00',
      '2007-03-15 09:00',
      '2007-03-30 09:00',
    ]);
  });

  it('every Tuesday, every other month', () => {
    expect(
      expand('19970902T090000', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU', '1998-02-01T00:00:00Z'),
    ).toEqual([
      ...days('1997-09', [2, 9, 16, 23, 30]),
      ...days('1997-11', [4, 11, 18, 25]),
      ...days('1998-01', [6, 13, 20, 27]),
    ]);
  });

  it('the last work day of the month (BYSETPOS=-1)', () => {
    expect(
      expand(
        '19970930T090000',
        'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
        '1998-04-01T00:00:00Z',
      ),
    ).toEqual([
      '1997-09-30 09:00',
      '1997-10-31 09:00',
      '1997-11-28 09:00',
      '1997-12-31 09:00',
      '1998-01-30 09:00',
      '1998-02-27 09:00',
      '1998-03-31 09:00',
    ]);
  });

  it('the third instance of Tuesday, Wednesday or Thursday, for 3 months', () => {
    expect(
      expand(
        '19970904T090000',
        'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
        '1999-01-01T00:00:00Z',
      ),
    ).toEqual(['1997-09-04 09:00', '1997-10-07 09:00', '1997-11-06 09:00']);
  });

  it('every Friday the 13th, except DTSTART', () => {
    expect(
      expand('19970902T090000', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '2000-12-01T00:00:00Z', [
        '19970902T090000',
      ]),
    ).toEqual([
      '1998-02-13 09:00',
      '1998-03-13 09:00',
      '1998-11-13 09:00',
      '1999-08-13 09:00',
      '2000-10-13 09:00',
    ]);
  });

  it('Monday of week number 20', () => {
    expect(
      expand('19970512T090000', 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', '2000-01-01T00:00:00Z'),
    ).toEqual(['1997-05-12 09:00', '1998-05-11 09:00', '1999-05-17 09:00']);
  });

  it('every third year on the 1st, 100th and 200th day', () => {
    expect(
      expand(
        '19970101T090000',
        'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
        '2010-01-01T00:00:00Z',
      ),
    ).toEqual([
      '1997-01-01 09:00',
      '1997-04-10 09:00',
      '1997-07-19 09:00',
      '2000-01-01 09:00',
      '2000-04-09 09:00',
      '2000-07-18 09:00',
      '2003-01-01 09:00',
      '2003-04-10 09:00',
      '2003-07-19 09:00',
      '2006-01-01 09:00',
    ]);
  });

  it('negative BYYEARDAY counts from the end of the year (-306 is March 1st)', () => {
    expect(
      expand('19970301T090000', 'FREQ=YEARLY;COUNT=4;BYYEARDAY=-1,-306', '2000-01-01T00:00:00Z'),
    ).toEqual(['1997-03-01 09:00', '1997-12-31 09:00', '1998-03-01 09:00', '1998-12-31 09:00']);
  });

  it('US presidential election day', () => {
    expect(
      expand(
        '19961105T090000',
        'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
        '2005-01-01T00:00:00Z',
      ),
    ).toEqual(['1996-11-05 09:00', '2000-11-07 09:00', '2004-11-02 09:00']);
  });
});
