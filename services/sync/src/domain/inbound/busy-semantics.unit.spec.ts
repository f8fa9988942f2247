import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { expandEvent, ianaZone, parseCalendar } from '@cs/ical';
import { busyTime } from '@cs/scheduling';
import { itemContent } from './item-instances';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ics = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const vevent = (...lines: string[]) => [
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTAMP:20260101T000000Z',
  ...lines,
  'END:VEVENT',
];
const AMSTERDAM = ianaZone('Europe/Amsterdam')!;
const RANGE = {
  start: Date.parse('2026-01-01T00:00:00Z'),
  end: Date.parse('2027-01-01T00:00:00Z'),
};

/** What availability counts as busy once sync has published the item (sync → busy time). */
function busy(text: string, owner: readonly string[] = []) {
  const { instances } = itemContent(text, NOW, owner);
  return busyTime({
    bookings: [],
    externalEvents: instances.map((i) => ({ ...i, calendarId: 'cal-1' })),
    calendars: [
      { calendarId: 'cal-1', lastSyncedAt: null, staleAfterMinutes: 60, allDayBlocks: true },
    ],
    range: RANGE,
    zone: AMSTERDAM,
  }).map((b) => [new Date(b.start).toISOString(), (b.end - b.start) / 60_000]);
}

describe('what sync publishes counts as busy as the calendar means it', () => {
  const invitation = (partstat: string, address = 'mailto:Nina@Example.org') =>
    ics(
      ...vevent(
        'DTSTART:20260302T090000Z',
        'DURATION:PT1H',
        'ORGANIZER:mailto:boss@example.org',
        `ATTENDEE;PARTSTAT=${partstat}:${address}`,
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:other@example.org',
      ),
    );

  it('frees an invitation the calendar owner declined, whatever the case or mailto: of the address', () => {
    expect(itemContent(invitation('DECLINED'), NOW, ['nina@example.org']).instances).toEqual([
      expect.objectContaining({ declinedByPro: true, transparent: false }),
    ]);
    expect(busy(invitation('DECLINED'), ['mailto:NINA@example.org'])).toEqual([]);
  });

  it('keeps busy an invitation the owner accepted, or one someone else declined', () => {
    expect(busy(invitation('ACCEPTED'), ['nina@example.org'])).toHaveLength(1);
    expect(
      busy(invitation('DECLINED', 'mailto:other@example.org'), ['nina@example.org']),
    ).toHaveLength(1);
    expect(busy(invitation('DECLINED'), ['someone@example.org'])).toHaveLength(1);
    expect(busy(invitation('DECLINED'), [])).toHaveLength(1);
  });

  it('frees a transparent event', () => {
    expect(
      busy(ics(...vevent('DTSTART:20260302T090000Z', 'DURATION:PT1H', 'TRANSP:TRANSPARENT'))),
    ).toEqual([]);
  });

  it('moves every instance from a RANGE=THISANDFUTURE override on, with its duration', () => {
    const text = ics(
      ...vevent(
        'DTSTART;TZID=Europe/Amsterdam:20260302T090000',
        'DTEND;TZID=Europe/Amsterdam:20260302T093000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5',
      ),
      ...vevent(
        'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Amsterdam:20260316T090000',
        'DTSTART;TZID=Europe/Amsterdam:20260316T100000',
        'DTEND;TZID=Europe/Amsterdam:20260316T110000',
      ),
    );
    expect(busy(text)).toEqual([
      ['2026-03-02T08:00:00.000Z', 30],
      ['2026-03-09T08:00:00.000Z', 30],
      ['2026-03-16T09:00:00.000Z', 60],
      ['2026-03-23T09:00:00.000Z', 60],
      // Summer time: still 10:00 in Amsterdam.
      ['2026-03-30T08:00:00.000Z', 60],
    ]);
    expect(itemContent(text, NOW, []).instances.map((i) => [i.eventUid, i.rrule])).toEqual([
      ['standup@example.com', 'FREQ=WEEKLY;BYDAY=MO;COUNT=2'],
      [
        'standup@example.com/RANGE=THISANDFUTURE/2026-03-16T08:00:00.000Z',
        'FREQ=WEEKLY;BYDAY=MO;COUNT=3',
      ],
    ]);
  });

  it('is busy exactly where the calendar’s own expansion puts the instances', () => {
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
    fc.assert(
      fc.property(
        fc.constantFrom('DAILY', 'WEEKLY;BYDAY=MO,TH', 'MONTHLY'),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -6 * 4, max: 8 * 4 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        (rule, startDay, k, quarterHours, length, open) => {
          const start = RANGE.start + startDay * 86_400_000 + 9 * 3_600_000;
          const text = ics(
            ...vevent(
              `DTSTART:${stamp(start)}`,
              'DURATION:PT1H',
              `RRULE:FREQ=${rule}${open ? '' : ';COUNT=25'}`,
            ),
          );
          const [master] = parseCalendar(text).events;
          const all = expandEvent(master!, [], RANGE, AMSTERDAM);
          const rid = all[Math.min(k, all.length - 1)]!.start;
          const moved = rid + quarterHours * 15 * 60_000;
          const withRange = ics(
            ...text.split('\r\n').slice(3, -1),
            ...vevent(
              `RECURRENCE-ID;RANGE=THISANDFUTURE:${stamp(rid)}`,
              `DTSTART:${stamp(moved)}`,
              `DURATION:PT${length * 15}M`,
            ),
          );
          const parsed = parseCalendar(withRange).events;
          const expected = expandEvent(
            parsed.find((e) => !e.recurrenceId)!,
            parsed.filter((e) => e.recurrenceId),
            RANGE,
            AMSTERDAM,
          ).map((i) => [new Date(i.start).toISOString(), (i.end - i.start) / 60_000]);
          expect(busy(withRange)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
