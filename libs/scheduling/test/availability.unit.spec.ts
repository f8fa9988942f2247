import { describe, expect, it } from '@jest/globals';
import {
  SchedulingError,
  availability,
  greatCircleTravel,
  toLocalIso,
  type Appointment,
  type ExternalEvent,
} from '../src';
import { minutes, proSettings, query, territory } from './fixtures';

const at = (text: string) => Date.parse(text);
const starts = (q: Parameters<typeof availability>[0]) =>
  availability(q).slots.map((s) => toLocalIso(s.start, 'Europe/Amsterdam').slice(11, 16));

const utrecht = { lat: 52.0907, lng: 5.1214 };
const amersfoort = { lat: 52.1561, lng: 5.3878 };

function booking(start: string, end: string, extra: Partial<Appointment> = {}): Appointment {
  return {
    bookingId: `b-${start}`,
    kind: 'booking',
    serviceId: 'wound-care',
    start: at(start),
    end: at(end),
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    location: null,
    ...extra,
  };
}

function external(start: string, end: string, extra: Partial<ExternalEvent> = {}): ExternalEvent {
  return {
    calendarId: 'google:primary',
    eventUid: `e-${start}`,
    recurrenceId: null,
    start,
    end,
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

const morning = proSettings({
  weeklyHours: [
    {
      days: ['TU'],
      start: '09:00',
      end: '12:00',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
  ],
});

describe('free slots', () => {
  it('steps by slotStepMinutes from the window start and ends inside the window', () => {
    expect(starts(query({ settings: morning }))).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
    ]);
  });

  it('keeps the gap rule: max(neighbour buffer, service buffer) on each side', () => {
    const q = query({
      settings: morning,
      serviceId: 'bathing',
      bookings: [booking('2026-12-01T09:00:00Z', '2026-12-01T09:45:00Z')],
    });
    // Booking 10:00–10:45 local, 15 min after it; bathing (60 min) wants 10 min before it.
    expect(starts(q)).toEqual(['09:00', '11:00']);
    const before = query({
      settings: morning,
      bookings: [
        booking('2026-12-01T10:00:00Z', '2026-12-01T10:30:00Z', { bufferBeforeMinutes: 30 }),
      ],
    });
    // Booking 11:00–11:30 wants 30 min before it: a 45-minute slot must end by 10:30.
    expect(starts(before)).toEqual(['09:00', '09:15', '09:30', '09:45']);
  });

  it('treats external events as zero-buffer neighbours, with travel only when they have coordinates', () => {
    const plain = query({
      settings: morning,
      externalEvents: [external('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z')],
    });
    expect(starts(plain)).toEqual(['09:00', '11:00', '11:15']);
    const located = query({
      settings: morning,
      clientLocation: utrecht,
      externalEvents: [
        external('2026-12-01T08:00:00Z', '2026-12-01T08:30:00Z', { location: amersfoort }),
      ],
    });
    const travel = greatCircleTravel({ averageSpeedKmh: 40, detourFactor: 1.3 })(
      amersfoort,
      utrecht,
    );
    expect(travel).toBe(40);
    expect(starts(located)[0]).toBe('10:15');
  });

  it('does not count travel without the client location', () => {
    const q = query({
      settings: morning,
      externalEvents: [
        external('2026-12-01T08:00:00Z', '2026-12-01T08:30:00Z', { location: amersfoort }),
      ],
    });
    expect(starts(q)[0]).toBe('09:30');
  });

  it('honours minimum notice, which emergency bookings skip, and the horizon', () => {
    const now = at('2026-12-01T08:40:00Z');
    const noticed = query({ settings: proSettings({ ...morning, minNoticeMinutes: 60 }), now });
    expect(starts(noticed)[0]).toBe('10:45');
    expect(starts({ ...noticed, emergency: true })[0]).toBe('09:45');
    const far = query({
      settings: proSettings({ ...morning, horizonDays: 10 }),
      now: at('2026-11-20T00:00:00Z'),
    });
    expect(starts(far)).toEqual([]);
  });

  it('offers emergency-only windows to emergency requests only', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['TU'],
          start: '20:00',
          end: '21:00',
          serviceIds: null,
          emergencyOnly: true,
          repeat: null,
        },
      ],
    });
    expect(starts(query({ settings }))).toEqual([]);
    expect(starts(query({ settings, emergency: true }))).toEqual(['20:00', '20:15']);
  });

  it('offers a service only in windows that allow it', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['TU'],
          start: '09:00',
          end: '11:00',
          serviceIds: ['bathing'],
          emergencyOnly: false,
          repeat: null,
        },
      ],
    });
    expect(starts(query({ settings }))).toEqual([]);
    expect(starts(query({ settings, serviceId: 'bathing' }))).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
    ]);
  });

  it('stops offering a day once its booking limit is reached', () => {
    const settings = proSettings({ ...morning, maxBookingsPerDay: 1 });
    const q = query({
      settings,
      bookings: [booking('2026-12-01T10:00:00Z', '2026-12-01T10:45:00Z')],
    });
    expect(starts(q)).toEqual([]);
  });

  it('keeps the grid of the window around an absence', () => {
    const q = query({
      settings: morning,
      absences: [{ start: at('2026-12-01T08:10:00Z'), end: at('2026-12-01T09:50:00Z') }],
    });
    expect(starts(q)).toEqual(['11:00', '11:15']);
  });

  it('reports stale sources, and hides slots when the Pro asked for it', () => {
    const calendars = [
      {
        calendarId: 'google:primary',
        lastSyncedAt: at('2026-10-31T00:00:00Z'),
        staleAfterMinutes: 60,
        allDayBlocks: true,
      },
    ];
    const ignoring = availability(query({ settings: morning, calendars }));
    expect(ignoring.sources).toEqual([
      { calendarId: 'google:primary', lastSyncedAt: at('2026-10-31T00:00:00Z'), stale: true },
    ]);
    expect(ignoring.slots.length).toBeGreaterThan(0);
    const strict = availability(
      query({ settings: proSettings({ ...morning, staleSourcePolicy: 'unavailable' }), calendars }),
    );
    expect(strict).toMatchObject({ slots: [], blockedByStaleSource: true });
  });

  it('offers nothing to a client outside the territory service radius', () => {
    const settings = proSettings({ ...morning, homeLocation: utrecht });
    const near = { ...territory, serviceRadiusKm: 25 };
    expect(starts(query({ settings, territory: near, clientLocation: amersfoort }))).toHaveLength(
      10,
    );
    expect(
      starts(
        query({
          settings,
          territory: { ...near, serviceRadiusKm: 15 },
          clientLocation: amersfoort,
        }),
      ),
    ).toEqual([]);
  });

  it('names an unknown service', () => {
    expect(() => availability(query({ serviceId: 'massage' }))).toThrow(SchedulingError);
    expect(() => availability(query({ serviceId: 'massage' }))).toThrow(/serviceId/);
  });

  it('gives the same instants whatever zone they are shown in', () => {
    const [slot] = availability(query({ settings: morning })).slots;
    for (const zone of [
      'Europe/Amsterdam',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
    ]) {
      expect(Date.parse(toLocalIso(slot.start, zone))).toBe(slot.start);
    }
    expect(slot.end - slot.start).toBe(minutes(45));
  });
});
