import { type Weekday } from '@cs/ical';
import { type ScheduleInputs } from '../../src/domain/pro-schedule/placement';

export const MIN = 60_000;
/** A Tuesday in Amsterdam (summer time). */
export const t = (time: string) => Date.parse(`2030-06-04T${time}:00+02:00`);
export const dayBefore = t('06:00') - 24 * 60 * MIN;
export const iso = (ms: number) => new Date(ms).toISOString();

export const woundCare = {
  serviceId: 'wound-care',
  durationMinutes: 45,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
};

export const hours = (days: Weekday[], start: string, end: string, emergencyOnly = false) => ({
  days,
  start,
  end,
  serviceIds: null,
  emergencyOnly,
  repeat: null,
});

/** A Pro working 09:00–17:00 on Tuesdays and Wednesdays; wound care has a 15-minute buffer after. */
export const inputs: ScheduleInputs = {
  settings: {
    timeZone: 'Europe/Amsterdam',
    homeLocation: null,
    services: [
      woundCare,
      { serviceId: 'bathing', durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 0 },
    ],
    weeklyHours: [hours(['TU', 'WE'], '09:00', '17:00')],
    dateOverrides: [],
    minNoticeMinutes: 60,
    horizonDays: null,
    maxBookingsPerDay: null,
    slotStepMinutes: 15,
    worksOnHolidays: false,
    staleSourcePolicy: 'ignore',
  },
  territory: null,
  absences: [],
  externalEvents: [],
  calendars: [],
  places: new Map(),
};

/** The terms of wound care for client c-1 with Pro p-1 at `time`, as the booking events carry them. */
export const terms = (bookingId: string, time: string) => ({
  bookingId,
  proId: 'p-1',
  serviceId: 'wound-care',
  start: iso(t(time)),
  end: iso(t(time) + 45 * MIN),
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  client: { clientId: 'c-1', timeZone: null, locale: null },
  location: null,
  priority: 'normal' as const,
  override: null,
  proIds: ['p-1'],
  seriesId: null,
  packageId: null,
  allowAutoReschedule: false,
});
