import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { type IcalEvent, instantToLocal, parseCalendar, splitSeries, UTC } from '../src';
import { at, instancesIn, local, zone } from './helpers';

const calendar = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) =>
  [
    'BEGIN:VEVENT',
    'UID:series@example.com',
    'DTSTAMP:19970901T130000Z',
    ...lines,
    'END:VEVENT',
  ].join('\r\n');
const events = (...vevents: string[]) => parseCalendar(calendar(...vevents)).events;
const split = (list: readonly IcalEvent[]) =>
  splitSeries(
    list.find((e) => !e.recurrenceId)!,
    list.filter((e) => e.recurrenceId),
    UTC,
  );
const shown = (list: readonly IcalEvent[], from: string, to: string, zoneId = 'UTC') =>
  instancesIn(list, { start: at(from), end: at(to) }, zone(zoneId)).map(
    (i) => `${local(i.start, zoneId)} ${(i.end - i.start) / 60_000}`,
  );

describe('RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4, RFC 5546)', () => {
  // The RFC's own value, RECURRENCE-ID;RANGE=THISANDFUTURE:19980401T133000Z, on a monthly series.
  const monthly = events(
    vevent('DTSTART:19980101T133000Z', 'DURATION:PT1H', 'RRULE:FREQ=MONTHLY;COUNT=6'),
    vevent(
      'RECURRENCE-ID;RANGE=THISANDFUTURE:19980401T133000Z',
      'DTSTART:19980401T150000Z',
      'DURATION:PT2H',
      'SUMMARY:later and longer from April on',
    ),
  );

  it('moves the named instance and every later one by its offset, with its duration', () => {
    expect(shown(monthly, '1998-01-01T00:00:00Z', '1999-01-01T00:00:00Z')).toEqual([
      '1998-01-01 13:30 60',
      '1998-02-01 13:30 60',
      '1998-03-01 13:30 60',
      '1998-04-01 15:00 120',
      '1998-05-01 15:00 120',
      '1998-06-01 15:00 120',
    ]);
  });

  it('is the series split in two: the head keeps COUNT before the cut, the tail the rest', () => {
    const [head, tail] = split(monthly);
    expect(head!.master.rrule?.text).toBe('FREQ=MONTHLY;COUNT=3');
    expect(tail!.master.rrule?.text).toBe('FREQ=MONTHLY;COUNT=3');
    expect(tail!.master.summary).toBe('later and longer from April on');
    expect(tail!.master.duration).toEqual({ days: 0, ms: 2 * 3_600_000 });
    expect(tail!).toMatchObject({ shift: 90 * 60_000, exact: true });
  });

  it('cuts an open-ended rule with UNTIL just before the cut, and a later cut takes over', () => {
    const list = events(
      vevent('DTSTART:19980105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;BYDAY=MO'),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE:19980119T090000Z',
        'DTSTART:19980119T100000Z',
        'DURATION:PT1H',
      ),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE:19980202T090000Z',
        'DTSTART:19980202T080000Z',
        'DURATION:PT30M',
      ),
    );
    const [head, middle, last] = split(list);
    expect(head!.master.rrule?.text).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=19980119T085959Z');
    expect(middle!.master.rrule?.text).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=19980202T095959Z');
    expect(last!.master.rrule?.text).toBe('FREQ=WEEKLY;BYDAY=MO');
    expect(shown(list, '1998-01-01T00:00:00Z', '1998-02-17T00:00:00Z')).toEqual([
      '1998-01-05 09:00 60',
      '1998-01-12 09:00 60',
      '1998-01-19 10:00 60',
      '1998-01-26 10:00 60',
      '1998-02-02 08:00 30',
      '1998-02-09 08:00 30',
      '1998-02-16 08:00 30',
    ]);
  });

  it('leaves a later single override and EXDATE naming their original instances', () => {
    const list = events(
      vevent(
        'DTSTART:19980105T090000Z',
        'DURATION:PT1H',
        'RRULE:FREQ=WEEKLY;COUNT=6',
        'EXDATE:19980202T090000Z',
      ),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE:19980119T090000Z',
        'DTSTART:19980119T110000Z',
        'DURATION:PT1H',
      ),
      vevent('RECURRENCE-ID:19980126T090000Z', 'DTSTART:19980127T070000Z', 'DURATION:PT1H'),
    );
    expect(shown(list, '1998-01-01T00:00:00Z', '1998-03-01T00:00:00Z')).toEqual([
      '1998-01-05 09:00 60',
      '1998-01-12 09:00 60',
      '1998-01-19 11:00 60',
      '1998-01-27 07:00 60',
      '1998-02-09 11:00 60',
    ]);
    const tail = split(list)[1]!;
    expect(tail.master.exdates.map((t) => new Date(t.localMs).toISOString())).toEqual([
      '1998-02-02T11:00:00.000Z',
    ]);
    expect(tail.overrides.map((o) => new Date(o.recurrenceId!.localMs).toISOString())).toEqual([
      '1998-01-26T11:00:00.000Z',
    ]);
  });

  it('moves on the wall clock, so 10:00 stays 10:00 across a DST change', () => {
    const list = events(
      vevent(
        'DTSTART;TZID=Europe/Amsterdam:20260316T090000',
        'DTEND;TZID=Europe/Amsterdam:20260316T100000',
        'RRULE:FREQ=WEEKLY;COUNT=4',
      ),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Amsterdam:20260323T090000',
        'DTSTART;TZID=Europe/Amsterdam:20260323T100000',
        'DTEND;TZID=Europe/Amsterdam:20260323T110000',
      ),
    );
    expect(shown(list, '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z', 'Europe/Amsterdam')).toEqual(
      ['2026-03-16 09:00 60', '2026-03-23 10:00 60', '2026-03-30 10:00 60', '2026-04-06 10:00 60'],
    );
  });

  it('replaces the whole series when the range starts at its first instance', () => {
    const list = events(
      vevent('DTSTART:19980105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3'),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE:19980105T090000Z',
        'DTSTART:19980105T100000Z',
        'DURATION:PT30M',
      ),
    );
    expect(split(list)).toHaveLength(1);
    expect(shown(list, '1998-01-01T00:00:00Z', '1998-02-01T00:00:00Z')).toEqual([
      '1998-01-05 10:00 30',
      '1998-01-06 10:00 30',
      '1998-01-07 10:00 30',
    ]);
  });

  it('keeps the original times when the rule cannot carry a move to another weekday', () => {
    const list = events(
      vevent('DTSTART:19980105T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6'),
      vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE:19980112T090000Z',
        'DTSTART:19980113T090000Z',
        'DURATION:PT2H',
      ),
    );
    const tail = split(list)[1]!;
    expect(tail).toMatchObject({ exact: false, shift: 0 });
    expect(shown(list, '1998-01-01T00:00:00Z', '1998-02-01T00:00:00Z')).toEqual([
      '1998-01-05 09:00 60',
      '1998-01-07 09:00 60',
      '1998-01-12 09:00 120',
      '1998-01-14 09:00 120',
      '1998-01-19 09:00 120',
      '1998-01-21 09:00 120',
    ]);
  });

  it('equals, for any k, the series split at instance k into two series', () => {
    const wall = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}Z/g, '');
    fc.assert(
      fc.property(
        fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 3, max: 15 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: -8 * 60, max: 11 * 60 }),
        fc.integer({ min: 15, max: 240 }),
        fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/New_York'),
        fc.integer({ min: 1, max: 28 }),
        (freq, interval, count, kRaw, shiftMinutes, minutes, zoneId, day) => {
          const k = 1 + (kRaw % (count - 1));
          const tzid = zoneId === 'UTC' ? '' : `;TZID=${zoneId}`;
          const dtstart = Date.UTC(2026, 0, day, 12);
          const rule = `FREQ=${freq};INTERVAL=${interval}`;
          const series = events(
            vevent(
              `DTSTART${tzid}:${wall(dtstart)}`,
              'DURATION:PT1H',
              `RRULE:${rule};COUNT=${count}`,
            ),
          );
          const window = { start: at('2025-01-01T00:00:00Z'), end: at('2030-01-01T00:00:00Z') };
          const z = zone(zoneId);
          const kth = instancesIn(series, window, z)[k]!;
          const ridLocal = instantToLocal(z, kth.start);
          const moved = ridLocal + shiftMinutes * 60_000;
          const withOverride = events(
            vevent(
              `DTSTART${tzid}:${wall(dtstart)}`,
              'DURATION:PT1H',
              `RRULE:${rule};COUNT=${count}`,
            ),
            vevent(
              `RECURRENCE-ID;RANGE=THISANDFUTURE${tzid}:${wall(ridLocal)}`,
              `DTSTART${tzid}:${wall(moved)}`,
              `DURATION:PT${minutes}M`,
            ),
          );
          const twoSeries = [
            ...events(
              vevent(
                `DTSTART${tzid}:${wall(dtstart)}`,
                'DURATION:PT1H',
                `RRULE:${rule};COUNT=${k}`,
              ),
            ),
            ...events(
              vevent(
                `DTSTART${tzid}:${wall(moved)}`,
                `DURATION:PT${minutes}M`,
                `RRULE:${rule};COUNT=${count - k}`,
              ),
            ).map((e) => ({ ...e, uid: 'tail' })),
          ];
          const times = (list: readonly IcalEvent[]) =>
            instancesIn(list, window, z).map((i) => [i.start, i.end]);
          expect(times(withOverride)).toEqual(times(twoSeries));
        },
      ),
      { numRuns: 150 },
    );
  });
});
