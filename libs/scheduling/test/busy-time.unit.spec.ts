import { describe, expect, it } from '@jest/globals';
import { ianaZone } from '@cs/ical';
import { type Appointment, type ExternalEvent, busyTime, toLocalIso } from '../src';

const at = (text: string) => Date.parse(text);
const zone = ianaZone('Europe/Amsterdam')!;
const range = { start: at('2026-03-23T00:00:00Z'), end: at('2026-04-06T00:00:00Z') };

function external(extra: Partial<ExternalEvent> = {}): ExternalEvent {
  return {
    calendarId: 'google:primary',
    eventUid: 'e1',
    recurrenceId: null,
    start: '2026-03-24T08:00:00Z',
    end: '2026-03-24T09:00:00Z',
    allDay: false,
    status: 'confirmed',
    transparent: false,
    declinedByPro: false,
    rrule: null,
    rdates: [],
    exdates: [],
    timeZone: null,
    location: null,
    bookingId: null,
    ...extra,
  };
}

const booking: Appointment = {
  bookingId: 'bk-1',
  kind: 'booking',
  serviceId: 'wound-care',
  start: at('2026-03-25T08:00:00Z'),
  end: at('2026-03-25T08:45:00Z'),
  bufferBeforeMinutes: 5,
  bufferAfterMinutes: 15,
  location: null,
};

const busy = (
  externalEvents: ExternalEvent[],
  extra: Partial<Parameters<typeof busyTime>[0]> = {},
) => busyTime({ bookings: [], externalEvents, calendars: [], range, zone, ...extra });

describe('busy time (docs/design.md §3)', () => {
  it('ignores cancelled, transparent and declined events', () => {
    expect(
      busy([
        external({ status: 'cancelled' }),
        external({ transparent: true }),
        external({ declinedByPro: true }),
      ]),
    ).toEqual([]);
    expect(busy([external({ status: 'tentative' })])).toHaveLength(1);
  });

  it('lets all-day events block unless their calendar switches that off', () => {
    const allDay = external({
      allDay: true,
      start: '2026-03-24',
      end: '2026-03-25',
    });
    expect(busy([allDay])).toHaveLength(1);
    const calendars = [
      {
        calendarId: 'google:primary',
        lastSyncedAt: null,
        staleAfterMinutes: 60,
        allDayBlocks: false,
      },
    ];
    expect(busy([allDay], { calendars })).toEqual([]);
  });

  it('counts the same event in several calendars once, and our own mirrored bookings once', () => {
    const copies = [
      external({ calendarId: 'outlook:work' }),
      external({ calendarId: 'google:primary' }),
    ];
    expect(busy(copies).map((b) => b.calendarId)).toEqual(['google:primary']);
    const mirror = external({
      bookingId: 'bk-1',
      start: new Date(booking.start).toISOString(),
      end: new Date(booking.end).toISOString(),
      eventUid: 'cs-bk-1',
    });
    expect(busy([mirror], { bookings: [booking] }).map((b) => b.kind)).toEqual(['booking']);
  });

  it('keeps a booking with its buffers', () => {
    expect(busy([], { bookings: [booking] })).toMatchObject([
      { kind: 'booking', bufferBeforeMs: 300_000, bufferAfterMs: 900_000 },
    ]);
  });

  it('expands recurring events on their own wall clock across DST, minus exdates and overridden instances', () => {
    const weekly = external({
      rrule: 'FREQ=WEEKLY;BYDAY=TU',
      timeZone: 'W. Europe Standard Time',
      start: '2026-03-03T08:00:00Z',
      end: '2026-03-03T09:00:00Z',
      exdates: ['2026-03-24T08:00:00Z'],
    });
    const moved = external({
      recurrenceId: '2026-03-31T07:00:00Z',
      start: '2026-03-31T12:00:00Z',
      end: '2026-03-31T13:00:00Z',
    });
    const result = busy([weekly, moved]);
    expect(result.map((b) => toLocalIso(b.start, 'Europe/Amsterdam'))).toEqual([
      '2026-03-31T14:00:00+02:00',
    ]);
    const later = busy([weekly], {
      range: { start: at('2026-03-30T00:00:00Z'), end: at('2026-04-15T00:00:00Z') },
    });
    expect(later.map((b) => toLocalIso(b.start, 'Europe/Amsterdam'))).toEqual([
      '2026-03-31T09:00:00+02:00',
      '2026-04-07T09:00:00+02:00',
      '2026-04-14T09:00:00+02:00',
    ]);
  });

  it('places all-day and floating events in the Pro’s zone, and zoned ones in their own', () => {
    const spans = (events: ExternalEvent[], zoneId: string) =>
      busy(events, { zone: ianaZone(zoneId)! }).map(
        (b) => `${new Date(b.start).toISOString()} ${new Date(b.end).toISOString()}`,
      );
    const allDay = external({ allDay: true, start: '2026-03-29', end: '2026-03-30' });
    // The EU spring-forward day is 23 hours long in Amsterdam.
    expect(spans([allDay], 'Europe/Amsterdam')).toEqual([
      '2026-03-28T23:00:00.000Z 2026-03-29T22:00:00.000Z',
    ]);
    expect(spans([allDay], 'Pacific/Kiritimati')).toEqual([
      '2026-03-28T10:00:00.000Z 2026-03-29T10:00:00.000Z',
    ]);
    const floating = external({ start: '2026-03-24T09:00:00', end: '2026-03-24T10:00:00' });
    expect(spans([floating], 'America/New_York')).toEqual([
      '2026-03-24T13:00:00.000Z 2026-03-24T14:00:00.000Z',
    ]);
    const zoned = external({ ...floating, timeZone: 'Asia/Tokyo' });
    expect(spans([zoned], 'America/New_York')).toEqual([
      '2026-03-24T00:00:00.000Z 2026-03-24T01:00:00.000Z',
    ]);
  });

  it('expands an all-day series on the Pro’s days, with RDATEs (a PERIOD keeps its own length), EXDATEs of every form and a date override', () => {
    const series = external({
      allDay: true,
      start: '2026-03-23',
      end: '2026-03-24',
      rrule: 'FREQ=DAILY;COUNT=5',
      rdates: [
        { start: '2026-03-30', end: null },
        { start: '2026-04-01T10:00:00Z', end: '2026-04-01T12:00:00Z' },
      ],
      exdates: ['2026-03-24', '2026-03-25T00:00:00'],
    });
    const moved = external({
      allDay: true,
      recurrenceId: '2026-03-26',
      start: '2026-04-02',
      end: '2026-04-03',
    });
    expect(
      busy([series, moved]).map(
        (b) =>
          `${toLocalIso(b.start, 'Europe/Amsterdam')} ${toLocalIso(b.end, 'Europe/Amsterdam')}`,
      ),
    ).toEqual([
      '2026-03-23T00:00:00+01:00 2026-03-24T00:00:00+01:00',
      '2026-03-27T00:00:00+01:00 2026-03-28T00:00:00+01:00',
      '2026-03-30T00:00:00+02:00 2026-03-31T00:00:00+02:00',
      '2026-04-01T12:00:00+02:00 2026-04-01T14:00:00+02:00',
      '2026-04-02T00:00:00+02:00 2026-04-03T00:00:00+02:00',
    ]);
  });

  it('keeps the first instance of a rule it cannot expand, and every other event', () => {
    const answer = busy([
      external({
        eventUid: 'flood',
        rrule: 'FREQ=SECONDLY',
        start: '2026-03-24T12:00:00Z',
        end: '2026-03-24T12:30:00Z',
      }),
      external({
        eventUid: 'nonsense',
        rrule: 'FREQ=FORTNIGHTLY',
        start: '2026-03-25T12:00:00Z',
        end: '2026-03-25T12:30:00Z',
      }),
      external({ eventUid: 'calm', rrule: 'FREQ=WEEKLY' }),
    ]);
    expect(answer.map((i) => [i.eventUid, new Date(i.start).toISOString()])).toEqual([
      ['calm', '2026-03-24T08:00:00.000Z'],
      ['flood', '2026-03-24T12:00:00.000Z'],
      ['nonsense', '2026-03-25T12:00:00.000Z'],
      // The series repeats on the Pro's wall clock, which moved to summer time on 29 March.
      ['calm', '2026-03-31T07:00:00.000Z'],
    ]);
    // Asked again, the same answer: what could not be expanded is remembered, not retried.
    expect(
      busy([
        external({
          eventUid: 'flood',
          rrule: 'FREQ=SECONDLY',
          start: '2026-03-24T12:00:00Z',
          end: '2026-03-24T12:30:00Z',
        }),
      ]),
    ).toHaveLength(1);
  });
});
