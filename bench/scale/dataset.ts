/**
 * The scale data set (issue 16), deterministic from a seed: Pros in 40 territories with weekly
 * patterns, three years of bookings, external calendar events (10 % recurring), absences; public
 * holidays come from each territory's holiday region. Every count is per Pro, so `--pros N`
 * scales all of them together: at 10,000 Pros about 2 million bookings and 2 million external
 * events. Half the Pros live in the first territory, so a territory search there spans 5,000 of
 * them at 10,000.
 */
import type { NewEvent } from '@cs/eventing';

export const TERRITORIES = 40;
export const BOOKINGS_PER_PRO = 200;
export const CALENDAR_EVENTS_PER_PRO = 200;
export const ABSENCES_PER_PRO = 12;
/** 3 years of weeks from the first Monday of 2026. */
export const FIRST_DAY = Date.UTC(2026, 0, 5);
export const WEEKS = 156;
export const SERVICE_ID = 'visit';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** Regions whose zone is one hour ahead of UTC in winter, so bench times need no zone table. */
const REGIONS = [
  { holidayRegion: 'NL', timeZone: 'Europe/Amsterdam', lat: 52.1, lng: 5.1 },
  { holidayRegion: 'BE', timeZone: 'Europe/Brussels', lat: 50.8, lng: 4.4 },
  { holidayRegion: 'DE-NW', timeZone: 'Europe/Berlin', lat: 51.2, lng: 6.8 },
  { holidayRegion: 'DE-BY', timeZone: 'Europe/Berlin', lat: 48.1, lng: 11.6 },
  { holidayRegion: 'FR', timeZone: 'Europe/Paris', lat: 48.9, lng: 2.3 },
  { holidayRegion: 'AT', timeZone: 'Europe/Vienna', lat: 48.2, lng: 16.4 },
  { holidayRegion: 'DK', timeZone: 'Europe/Copenhagen', lat: 55.7, lng: 12.6 },
  { holidayRegion: 'LU', timeZone: 'Europe/Luxembourg', lat: 49.6, lng: 6.1 },
] as const;

/** Weekly patterns, each with the local hours a booking may take (start hour, hours long). */
const PATTERNS = [
  {
    name: 'full-time',
    hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '17:00' }],
    window: [8, 9],
    days: [0, 1, 2, 3, 4],
  },
  {
    name: 'split',
    hours: [
      { days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '12:00' },
      { days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '13:00', end: '17:30' },
    ],
    window: [13, 4],
    days: [0, 1, 2, 3, 4],
  },
  {
    name: 'part-time',
    hours: [{ days: ['MO', 'WE', 'TH'], start: '09:00', end: '15:00' }],
    window: [9, 6],
    days: [0, 2, 3],
  },
  {
    name: 'evenings',
    hours: [{ days: ['TU', 'WE', 'TH', 'FR', 'SA'], start: '14:00', end: '22:00' }],
    window: [14, 8],
    days: [1, 2, 3, 4, 5],
  },
  {
    name: 'every other week',
    hours: [
      {
        days: ['MO', 'TU', 'WE', 'TH', 'FR'],
        start: '07:30',
        end: '16:00',
        repeat: { everyWeeks: 2, startingWeekOf: '2026-01-05' },
      },
    ],
    window: [8, 8],
    days: [0, 1, 2, 3, 4],
  },
] as const;

/** mulberry32: small, fast and the same on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const territoryId = (t: number) =>
  `t${String(t).padStart(2, '0')}-${REGIONS[t % REGIONS.length]!.holidayRegion.toLowerCase()}`;
export const proId = (p: number) => `p${String(p).padStart(6, '0')}`;
/** Half the Pros in territory 0, the rest spread over the other 39. */
export const territoryOf = (p: number) =>
  p % 2 === 0 ? 0 : 1 + (((p - 1) / 2) % (TERRITORIES - 1));
export const patternOf = (p: number) => PATTERNS[Math.floor(p / 2) % PATTERNS.length]!;
/** Pros whose week is Monday to Friday 08:00–17:00 local: the booking bench books them. */
export const isFullTime = (p: number) => patternOf(p).name === 'full-time';

export function territoryEvent(t: number): NewEvent {
  const region = REGIONS[t % REGIONS.length]!;
  return {
    type: 'territory.settings_replaced',
    data: {
      territoryId: territoryId(t),
      settings: {
        timeZone: region.timeZone,
        holidayRegion: region.holidayRegion,
        averageSpeedKmh: 40,
        detourFactor: 1.3,
        serviceRadiusKm: null,
        defaults: {
          minNoticeMinutes: null,
          horizonDays: null,
          maxBookingsPerDay: null,
          reminderOffsetsMinutes: null,
        },
      },
    },
  };
}

function settings(p: number, rng: () => number, revision: number) {
  const t = territoryOf(p);
  const region = REGIONS[t % REGIONS.length]!;
  return {
    timeZone: region.timeZone,
    territoryId: territoryId(t),
    // In clear, as an event before sealing reads (docs/adr/0008): the bench has no key store.
    homeLocation: {
      clear: { lat: region.lat + (rng() - 0.5) / 5, lng: region.lng + (rng() - 0.5) / 5 },
    },
    services: [
      {
        serviceId: SERVICE_ID,
        durationMinutes: 45,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
      },
      ...(p % 3 === 0
        ? [
            {
              serviceId: 'wound-care',
              durationMinutes: 30 + revision * 15,
              bufferBeforeMinutes: 5,
              bufferAfterMinutes: 10,
            },
          ]
        : []),
    ],
    weeklyHours: patternOf(p).hours.map((h) => ({
      days: [...h.days],
      start: h.start,
      end: h.end,
      serviceIds: null,
      emergencyOnly: false,
      repeat: 'repeat' in h ? h.repeat : null,
    })),
    dateOverrides: [],
    minNoticeMinutes: 0,
    horizonDays: null,
    maxBookingsPerDay: null,
    slotStepMinutes: 15,
    worksOnHolidays: p % 10 === 0,
    staleSourcePolicy: 'ignore',
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Local hour h on a winter/summer day of a UTC+1/+2 zone, as an instant (close enough for load). */
const localHour = (day: number, h: number) => day + (h - 1) * HOUR;

/** One Pro's events, grouped by the service and stream that records them. */
export interface ProEvents {
  availability: { streamId: string; events: NewEvent[] };
  booking: { streamId: string; events: NewEvent[] };
  sync: { streamId: string; events: NewEvent[] };
}

export function proEvents(seed: number, p: number): ProEvents {
  const rng = random(seed * 1_000_003 + p);
  const id = proId(p);
  const pattern = patternOf(p);
  const workday = (week: number) =>
    FIRST_DAY + week * 7 * DAY + pattern.days[Math.floor(rng() * pattern.days.length)]! * DAY;

  const availability: NewEvent[] = [
    { type: 'pro.settings_replaced', data: { proId: id, settings: settings(p, rng, 0) } },
  ];
  for (let a = 0; a < ABSENCES_PER_PRO; a++) {
    const start = FIRST_DAY + Math.floor(((a + rng()) * WEEKS * 7) / ABSENCES_PER_PRO) * DAY;
    const days = 1 + Math.floor(rng() * (a % 4 === 0 ? 14 : 3));
    availability.push({
      type: 'pro.absence_added',
      data: {
        proId: id,
        absenceId: `a${a}`,
        start: iso(start),
        end: iso(start + days * DAY),
        reason: a % 4 === 0 ? 'holiday' : 'sick',
      },
    });
    if (a === ABSENCES_PER_PRO / 2)
      availability.push({
        type: 'pro.settings_replaced',
        data: { proId: id, settings: settings(p, rng, 1) },
      });
  }

  const booking: NewEvent[] = [];
  for (let b = 0; b < BOOKINGS_PER_PRO; b++) {
    const week = Math.floor((b * WEEKS) / BOOKINGS_PER_PRO);
    const hour = pattern.window[0] + (b % pattern.window[1]);
    const start = localHour(workday(week), hour);
    const bookingId = `${id}-b${b}`;
    booking.push({
      type: 'booking.confirmed',
      occurredAt: new Date(start - 7 * DAY),
      data: {
        bookingId,
        proId: id,
        serviceId: SERVICE_ID,
        start: iso(start),
        end: iso(start + 45 * 60_000),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 15,
        client: { clientId: `c${Math.floor(rng() * 50_000)}`, timeZone: null, locale: null },
        location: null,
        priority: 'normal',
        override: null,
      },
    });
    if (b % 20 === 7)
      booking.push({
        type: 'booking.cancelled',
        data: { bookingId, proId: id, reason: 'client cancelled' },
      });
  }

  const calendarId = `${id}-cal`;
  const sync: NewEvent[] = [];
  for (let e = 0; e < CALENDAR_EVENTS_PER_PRO; e++) {
    const week = Math.floor((e * WEEKS) / CALENDAR_EVENTS_PER_PRO);
    const start = localHour(
      FIRST_DAY + week * 7 * DAY + Math.floor(rng() * 7) * DAY,
      7 + Math.floor(rng() * 14),
    );
    const recurring = e % 10 === 3;
    const weekday = WEEKDAYS[(new Date(start).getUTCDay() + 6) % 7]!;
    const rrule = !recurring
      ? null
      : e % 30 === 3
        ? `FREQ=WEEKLY;BYDAY=${weekday};COUNT=${10 + Math.floor(rng() * 40)}`
        : e % 30 === 13
          ? `FREQ=MONTHLY;BYDAY=2${weekday};UNTIL=${iso(start + 365 * DAY).replace(/[-:]|\.\d{3}/g, '')}`
          : 'FREQ=DAILY;INTERVAL=2;COUNT=10';
    sync.push({
      type: 'calendar.event_upserted',
      data: {
        proId: id,
        calendarId,
        eventUid: `${id}-e${e}@bench`,
        recurrenceId: null,
        start: iso(start),
        end: iso(start + (30 + Math.floor(rng() * 4) * 30) * 60_000),
        allDay: false,
        status: e % 25 === 0 ? 'tentative' : 'confirmed',
        transparent: e % 40 === 0,
        declinedByPro: false,
        rrule,
        rdates: [],
        exdates: [],
        timeZone: null,
        location: null,
        bookingId: null,
      },
    });
  }
  return {
    availability: { streamId: `pro-${id}`, events: availability },
    booking: { streamId: `pro-schedule-${id}`, events: booking },
    sync: { streamId: `calendar-${calendarId}`, events: sync },
  };
}
