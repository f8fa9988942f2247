import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  type EventInstance,
  MS_PER_DAY,
  expandEvent,
  instantToLocal,
  localToInstant,
  parseCalendar,
} from '../src';
import { at, fixture, instancesIn, zone } from './helpers';

/** The instances a calendar gives in [from, to), read in `zoneId`. */
function times(ics: string, zoneId: string, from: string, to: string): EventInstance[] {
  const calendar = parseCalendar(ics);
  expect(calendar.errors).toEqual([]);
  return instancesIn(calendar.events, { start: at(from), end: at(to) }, zone(zoneId));
}

const utc = (intervals: readonly { start: number; end: number }[]) =>
  intervals.map((i) => `${new Date(i.start).toISOString()} ${new Date(i.end).toISOString()}`);

const of = (intervals: EventInstance[], uid: string) => utc(intervals.filter((i) => i.uid === uid));

describe('Exchange all-day series', () => {
  it('lets a RECURRENCE-ID or EXDATE at midnight in a Windows zone name the all-day instance of that date, whatever the viewer’s zone', () => {
    const intervals = times(
      fixture('exchange-all-day.ics'),
      'Europe/London',
      '2026-03-01T00:00:00Z',
      '2026-03-15T00:00:00Z',
    );
    expect(utc(intervals)).toEqual([
      '2026-03-02T00:00:00.000Z 2026-03-03T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z 2026-03-04T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z 2026-03-07T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z 2026-03-10T00:00:00.000Z',
    ]);
  });
});

describe('Google floating times', () => {
  const intervals = () =>
    times(
      fixture('google-floating.ics'),
      'Europe/Amsterdam',
      '2026-03-01T00:00:00Z',
      '2026-03-20T00:00:00Z',
    );

  it('reads floating date-times, EXDATEs included, in X-WR-TIMEZONE across its DST change', () => {
    expect(of(intervals(), 'floating-dentist@google.com')).toEqual([
      '2026-03-10T13:00:00.000Z 2026-03-10T14:00:00.000Z',
    ]);
    expect(of(intervals(), 'floating-weekly@google.com')).toEqual([
      '2026-03-02T22:00:00.000Z 2026-03-02T22:30:00.000Z',
      '2026-03-16T21:00:00.000Z 2026-03-16T21:30:00.000Z',
    ]);
  });

  it('blocks an all-day event on the viewer’s local day, not the calendar’s', () => {
    expect(of(intervals(), 'birthday@google.com')).toEqual([
      '2026-03-10T23:00:00.000Z 2026-03-11T23:00:00.000Z',
    ]);
  });

  it('reads floating times in the viewer’s zone when the calendar names none', () => {
    const ics = fixture('google-floating.ics').replace('X-WR-TIMEZONE:America/New_York\r\n', '');
    expect(
      of(
        times(ics, 'Asia/Tokyo', '2026-03-01T00:00:00Z', '2026-03-20T00:00:00Z'),
        'floating-dentist@google.com',
      ),
    ).toEqual(['2026-03-10T00:00:00.000Z 2026-03-10T01:00:00.000Z']);
  });
});

describe('RDATE and EXDATE in every form', () => {
  const intervals = () =>
    times(
      fixture('apple-rdates.ics'),
      'Europe/Amsterdam',
      '2026-03-01T00:00:00Z',
      '2026-03-15T00:00:00Z',
    );

  it('adds RDATEs with TZID, in UTC, as PERIODs with their own end or duration, and as dates at the series’ time', () => {
    expect(of(intervals(), 'rdates@example.com')).toEqual([
      '2026-03-02T08:00:00.000Z 2026-03-02T09:00:00.000Z',
      '2026-03-03T14:00:00.000Z 2026-03-03T15:00:00.000Z',
      '2026-03-04T14:00:00.000Z 2026-03-04T15:00:00.000Z',
      '2026-03-05T12:00:00.000Z 2026-03-05T13:00:00.000Z',
      '2026-03-06T10:00:00.000Z 2026-03-06T13:00:00.000Z',
      '2026-03-07T10:00:00.000Z 2026-03-07T10:30:00.000Z',
      '2026-03-08T08:00:00.000Z 2026-03-08T09:00:00.000Z',
    ]);
  });

  it('removes instances named by a mixed EXDATE list: UTC, DATE, floating and TZID, on several lines', () => {
    expect(of(intervals(), 'mixed-exdates@example.com')).toEqual([
      '2026-03-02T08:00:00.000Z 2026-03-02T09:00:00.000Z',
      '2026-03-08T08:00:00.000Z 2026-03-08T09:00:00.000Z',
      '2026-03-09T08:00:00.000Z 2026-03-09T09:00:00.000Z',
    ]);
  });
});

/** Zones with DST on either hemisphere, the extremes of the offset range and half-hour offsets. */
const zones = [
  'Europe/Amsterdam',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Pacific/Tongatapu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Pacific/Niue',
  'Asia/Kolkata',
  'UTC',
];

/** Days around DST changes are over-weighted, since that is where a day is not 24 hours. */
const days = fc.oneof(
  fc.integer({ min: 19_000, max: 22_000 }),
  fc.constantFrom(
    20_540, // 2026-03-29, EU spring forward
    20_757, // 2026-11-01, US fall back
    20_522, // 2026-03-08, US spring forward
    20_733, // 2026-10-04, Lord Howe half-hour change
  ),
);

const basic = (localMs: number, withTime: boolean) => {
  const iso = new Date(localMs).toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  return withTime ? `${date}T${iso.slice(11, 19).replaceAll(':', '')}` : date;
};

const calendar = (lines: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'UID:p',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

describe('properties', () => {
  it('an all-day event in zone Z blocks exactly [local midnight, next local midnight) of Z', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), days, (zoneId, day) => {
        const z = zone(zoneId);
        const [event] = parseCalendar(
          calendar([`DTSTART;VALUE=DATE:${basic(day * MS_PER_DAY, false)}`]),
        ).events;
        const window = {
          start: day * MS_PER_DAY - 3 * MS_PER_DAY,
          end: day * MS_PER_DAY + 3 * MS_PER_DAY,
        };
        const [instance, ...rest] = expandEvent(event, [], window, z);
        expect(rest).toEqual([]);
        expect(instance.start).toBe(localToInstant(z, day * MS_PER_DAY));
        expect(instance.end).toBe(localToInstant(z, (day + 1) * MS_PER_DAY));
        expect(instantToLocal(z, instance.start) % MS_PER_DAY).toBe(0);
      }),
    );
  });

  it('an EXDATE written in any equivalent form removes exactly the same instance', () => {
    const forms = ['utc', 'own-zone', 'other-zone', 'floating', 'date'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...zones),
        days,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...forms),
        (zoneId, otherId, day, hour, removed, form) => {
          const z = zone(zoneId);
          const startLocal = day * MS_PER_DAY + hour * 3_600_000;
          const removedLocal = startLocal + removed * MS_PER_DAY;
          const removedAt = localToInstant(z, removedLocal);
          const exdate = {
            utc: `EXDATE:${basic(removedAt, true)}Z`,
            'own-zone': `EXDATE;TZID=${zoneId}:${basic(removedLocal, true)}`,
            'other-zone': `EXDATE;TZID=${otherId}:${basic(instantToLocal(zone(otherId), removedAt), true)}`,
            floating: `EXDATE:${basic(removedLocal, true)}`,
            date: `EXDATE;VALUE=DATE:${basic(removedLocal, false)}`,
          }[form];
          const [event] = parseCalendar(
            calendar([
              `DTSTART;TZID=${zoneId}:${basic(startLocal, true)}`,
              'DURATION:PT30M',
              'RRULE:FREQ=DAILY;COUNT=10',
              exdate,
            ]),
          ).events;
          const all = { start: startLocal - 2 * MS_PER_DAY, end: startLocal + 12 * MS_PER_DAY };
          const starts = expandEvent(event, [], all, zone('UTC')).map((i) => i.start);
          const expected = Array.from({ length: 10 }, (_, k) =>
            localToInstant(z, startLocal + k * MS_PER_DAY),
          ).filter((_, k) => k !== removed);
          // A repeated local hour (fall back) can make two instances one; that is the rule, not the EXDATE.
          expect(starts).toEqual([...new Set(expected)]);
        },
      ),
    );
  });
});
