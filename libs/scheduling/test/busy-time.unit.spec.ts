import { describe, expect, it } from 'vitest';
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
    start: at('2026-03-24T08:00:00Z'),
    end: at('2026-03-24T09:00:00Z'),
    allDay: false,
    status: 'confirmed',
    transparent: false,
    declinedByPro: false,
    rrule: null,
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

describe('busy time (DESIGN §3)', () => {
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
      start: at('2026-03-23T23:00:00Z'),
      end: at('2026-03-24T23:00:00Z'),
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
      start: booking.start,
      end: booking.end,
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
      start: at('2026-03-03T08:00:00Z'),
      end: at('2026-03-03T09:00:00Z'),
      exdates: [at('2026-03-24T08:00:00Z')],
    });
    const moved = external({
      recurrenceId: at('2026-03-31T07:00:00Z'),
      start: at('2026-03-31T12:00:00Z'),
      end: at('2026-03-31T13:00:00Z'),
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
});
