const DAY = 86_400_000;

/** A Monday (UTC) at least two weeks ahead, so notice and horizon never get in the way. */
export function upcomingMonday(weeksAhead = 2): string {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const weekday = (new Date(today).getUTCDay() + 6) % 7;
  return new Date(today + (7 * weeksAhead - weekday) * DAY).toISOString().slice(0, 10);
}

export const at = (date: string, time: string) => `${date}T${time}:00Z`;

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export const territory = {
  timeZone: 'Europe/Amsterdam',
  holidayRegion: 'NL',
  defaults: { minNoticeMinutes: 0 },
};

/** Weekdays 09:00–17:00 UTC, one-hour visits on the hour; holidays worked so dates never matter. */
export const proSettings = {
  timeZone: 'UTC',
  territoryId: 'nl-utrecht',
  homeLocation: { lat: 52.0907, lng: 5.1214 },
  services: [
    { serviceId: 'wound-care', durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
  ],
  weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '09:00', end: '17:00' }],
  minNoticeMinutes: 0,
  slotStepMinutes: 60,
  worksOnHolidays: true,
};

export const externalEvent = (proId: string, uid: string, start: string, end: string) => ({
  proId,
  calendarId: 'cal-1',
  eventUid: uid,
  recurrenceId: null,
  start,
  end,
  allDay: false,
  status: 'confirmed' as const,
  transparent: false,
  declinedByPro: false,
  rrule: null,
  exdates: [],
  // Instants in a named zone; a null zone would make them wall-clock in the Pro's zone.
  timeZone: 'UTC',
  location: null,
  bookingId: null,
});
