import { type AvailabilityQuery, type ProSettings, type TerritoryRules } from '../src';

export const minutes = (n: number) => n * 60_000;

export function proSettings(overrides: Partial<ProSettings> = {}): ProSettings {
  return {
    timeZone: 'Europe/Amsterdam',
    homeLocation: null,
    services: [
      {
        serviceId: 'wound-care',
        durationMinutes: 45,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
      },
      { serviceId: 'bathing', durationMinutes: 60, bufferBeforeMinutes: 10, bufferAfterMinutes: 0 },
    ],
    weeklyHours: [
      {
        days: ['MO', 'TU', 'WE', 'TH', 'FR'],
        start: '09:00',
        end: '17:00',
        serviceIds: null,
        emergencyOnly: false,
        repeat: null,
      },
    ],
    dateOverrides: [],
    minNoticeMinutes: null,
    horizonDays: null,
    maxBookingsPerDay: null,
    slotStepMinutes: 15,
    worksOnHolidays: false,
    staleSourcePolicy: 'ignore',
    ...overrides,
  };
}

export const territory: TerritoryRules = {
  timeZone: 'Europe/Amsterdam',
  holidayRegion: 'NL',
  averageSpeedKmh: 40,
  detourFactor: 1.3,
  defaults: { minNoticeMinutes: null, horizonDays: null, maxBookingsPerDay: null },
};

export function query(overrides: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return {
    settings: proSettings(),
    territory,
    serviceId: 'wound-care',
    range: { start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2026-12-02T00:00:00Z') },
    now: Date.parse('2026-11-01T00:00:00Z'),
    bookings: [],
    externalEvents: [],
    absences: [],
    calendars: [],
    ...overrides,
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();
