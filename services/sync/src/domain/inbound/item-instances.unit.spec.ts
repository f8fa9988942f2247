import { describe, expect, it } from '@jest/globals';
import { itemContent } from './item-instances';

const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];

const times = (text: string) =>
  itemContent(text, Date.parse('2026-01-01T00:00:00Z'), []).instances.map(
    ({ recurrenceId, start, end, timeZone, rdates, exdates }) => ({
      recurrenceId,
      start,
      end,
      timeZone,
      rdates,
      exdates,
    }),
  );

describe('itemContent', () => {
  it('sends floating times as instants in X-WR-TIMEZONE, and as wall-clock for the Pro’s zone without one', () => {
    const floating = vevent('UID:a', 'DTSTART:20260310T090000', 'DTEND:20260310T100000');
    expect(times(ics('X-WR-TIMEZONE:America/New_York', ...floating))[0]).toMatchObject({
      start: '2026-03-10T13:00:00.000Z',
      end: '2026-03-10T14:00:00.000Z',
      timeZone: 'America/New_York',
    });
    expect(times(ics(...floating))[0]).toMatchObject({
      start: '2026-03-10T09:00:00',
      end: '2026-03-10T10:00:00',
      timeZone: null,
    });
  });

  it('sends all-day events as dates even when the calendar names a zone', () => {
    const text = ics(
      'X-WR-TIMEZONE:Pacific/Kiritimati',
      ...vevent('UID:b', 'DTSTART;VALUE=DATE:20260310', 'DTEND;VALUE=DATE:20260312'),
    );
    expect(times(text)[0]).toMatchObject({
      start: '2026-03-10',
      end: '2026-03-12',
      timeZone: null,
    });
  });

  it('names the instances of an all-day series by date, whatever zone its RECURRENCE-ID and EXDATE were written in', () => {
    const text = ics(
      ...vevent(
        'UID:c',
        'DTSTART;VALUE=DATE:20260302',
        'RRULE:FREQ=DAILY;COUNT=5',
        'EXDATE;TZID=W. Europe Standard Time:20260305T000000',
      ),
      ...vevent(
        'UID:c',
        'RECURRENCE-ID;TZID=W. Europe Standard Time:20260304T000000',
        'DTSTART;TZID=W. Europe Standard Time:20260309T100000',
        'DTEND;TZID=W. Europe Standard Time:20260309T110000',
      ),
    );
    expect(times(text)).toEqual([
      {
        recurrenceId: null,
        start: '2026-03-02',
        end: '2026-03-03',
        timeZone: null,
        rdates: [],
        exdates: ['2026-03-05'],
      },
      {
        recurrenceId: '2026-03-04',
        start: '2026-03-09T09:00:00.000Z',
        end: '2026-03-09T10:00:00.000Z',
        timeZone: 'Europe/Berlin',
        rdates: [],
        exdates: [],
      },
    ]);
  });

  it('sends RDATEs with their own end for PERIODs, and EXDATEs of every form', () => {
    const text = ics(
      ...vevent(
        'UID:d',
        'DTSTART;TZID=Europe/Amsterdam:20260302T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=5',
        'RDATE;TZID=America/New_York:20260310T090000',
        'RDATE;VALUE=PERIOD:20260311T100000Z/PT3H',
        'EXDATE:20260303T080000Z,20260304',
        'EXDATE:20260305T090000',
      ),
    );
    expect(times(text)[0]).toMatchObject({
      rdates: [
        { start: '2026-03-10T13:00:00.000Z', end: null },
        { start: '2026-03-11T10:00:00.000Z', end: '2026-03-11T13:00:00.000Z' },
      ],
      exdates: ['2026-03-03T08:00:00.000Z', '2026-03-04', '2026-03-05T09:00:00'],
    });
  });
});
