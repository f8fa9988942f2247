import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  type OutgoingEvent,
  formatIsoDate,
  ianaZone,
  instantToLocal,
  localToInstant,
  weekdayIndex,
} from '@cs/ical';

/** The demo: one territory around Utrecht, three Pros with different weeks, three clients. */
export const TIME_ZONE = 'Europe/Amsterdam';
const zone = ianaZone(TIME_ZONE)!;

export const territory = {
  id: 'nl-utrecht',
  settings: {
    timeZone: TIME_ZONE,
    holidayRegion: 'NL',
    averageSpeedKmh: 35,
    detourFactor: 1.3,
    serviceRadiusKm: 25,
    defaults: {
      minNoticeMinutes: 120,
      horizonDays: 60,
      maxBookingsPerDay: 8,
      reminderOffsetsMinutes: [1440, 120],
    },
  },
};

const services = {
  woundCare: { serviceId: 'wound-care', durationMinutes: 45, bufferAfterMinutes: 15 },
  medication: { serviceId: 'medication-check', durationMinutes: 20, bufferAfterMinutes: 10 },
  personalCare: { serviceId: 'personal-care', durationMinutes: 60, bufferBeforeMinutes: 5 },
};

export interface DemoPro {
  proId: string;
  name: string;
  email: string;
  /** Their Radicale login; every demo login has the password `demo`. */
  caldavUser: string;
  week: string;
  settings: Record<string, unknown>;
}

const pro = (
  proId: string,
  name: string,
  caldavUser: string,
  week: string,
  home: { lat: number; lng: number },
  offered: Array<(typeof services)[keyof typeof services]>,
  weeklyHours: unknown[],
): DemoPro => ({
  proId,
  name,
  email: `${caldavUser}@pros.careservice.local`,
  caldavUser,
  week,
  settings: {
    timeZone: TIME_ZONE,
    territoryId: territory.id,
    homeLocation: home,
    services: offered,
    weeklyHours,
    slotStepMinutes: 15,
    worksOnHolidays: false,
    staleSourcePolicy: 'ignore',
  },
});

const hours = (days: string[], start: string, end: string, extra: object = {}) => ({
  days,
  start,
  end,
  ...extra,
});

export const CALDAV_PASSWORD = 'demo';

export const pros: DemoPro[] = [
  pro(
    'pro-anna',
    'Anna de Vries',
    'anna',
    'Mo–Fr 08:00–16:00',
    { lat: 52.0907, lng: 5.1214 },
    [services.woundCare, services.medication],
    [hours(['MO', 'TU', 'WE', 'TH', 'FR'], '08:00', '16:00')],
  ),
  pro(
    'pro-bram',
    'Bram Jansen',
    'bram',
    'Mo/We/Fr 09:00–17:00, Tu/Th 12:00–20:00, Sa mornings every other week',
    { lat: 52.0705, lng: 5.0877 },
    [services.woundCare, services.personalCare],
    [
      hours(['MO', 'WE', 'FR'], '09:00', '17:00'),
      hours(['TU', 'TH'], '12:00', '20:00'),
      hours(['SA'], '09:00', '13:00', {
        repeat: { everyWeeks: 2, startingWeekOf: '2026-01-05' },
      }),
    ],
  ),
  pro(
    'pro-carla',
    'Carla Bakker',
    'carla',
    'Tu–Sa 07:30–13:30, emergencies Mo–Fr 18:00–22:00',
    { lat: 52.1092, lng: 5.1815 },
    [services.woundCare, services.medication],
    [
      hours(['TU', 'WE', 'TH', 'FR', 'SA'], '07:30', '13:30'),
      hours(['MO', 'TU', 'WE', 'TH', 'FR'], '18:00', '22:00', { emergencyOnly: true }),
    ],
  ),
];

export const clients = [
  {
    clientId: 'client-demo-1',
    name: 'Mevrouw Visser',
    email: 'visser@clients.careservice.local',
    locale: 'nl',
    location: { lat: 52.0931, lng: 5.1045, address: 'Lange Nieuwstraat 10, Utrecht' },
  },
  {
    clientId: 'client-demo-2',
    name: 'Mr Smith',
    email: 'smith@clients.careservice.local',
    locale: 'en',
    location: { lat: 52.0812, lng: 5.1376, address: 'Burgemeester Reigerstraat 5, Utrecht' },
  },
  {
    clientId: 'client-demo-3',
    name: 'Meneer de Jong',
    email: 'dejong@clients.careservice.local',
    locale: 'nl',
    location: { lat: 52.1026, lng: 5.0737, address: 'Amsterdamsestraatweg 300, Utrecht' },
  },
];

/** An instant from a local date `days` after today (in the demo's zone) and a local time. */
function localInstant(now: number, days: number, time: string): number {
  const today = Math.floor(instantToLocal(zone, now) / MS_PER_DAY);
  const [hours, minutes] = time.split(':').map(Number);
  return localToInstant(
    zone,
    (today + days) * MS_PER_DAY + (hours! * 60 + minutes!) * MS_PER_MINUTE,
  );
}

/** The next working days (Monday to Friday) after today, as day offsets from today. */
function nextWeekdays(now: number, count: number): number[] {
  const today = Math.floor(instantToLocal(zone, now) / MS_PER_DAY);
  const offsets: number[] = [];
  for (let offset = 1; offsets.length < count; offset++)
    if (weekdayIndex(today + offset) < 5) offsets.push(offset);
  return offsets;
}

/**
 * What the Pro already has in their own calendar, so busy time shows: an appointment, a course
 * and a weekly meeting. Fixed resource names and UIDs: a second run moves them, never adds more.
 */
export function calendarEvents(
  demoPro: DemoPro,
  now: number,
): Array<{ name: string; event: OutgoingEvent }> {
  const [first, second] = nextWeekdays(now, 2) as [number, number];
  const today = Math.floor(instantToLocal(zone, now) / MS_PER_DAY);
  const lastMonday = today - weekdayIndex(today);
  const event = (
    uid: string,
    summary: string,
    start: number,
    minutes: number,
    rrule: string | null = null,
  ) => ({
    name: `${uid}.ics`,
    event: {
      uid: `${uid}-${demoPro.caldavUser}@demo.careservice.local`,
      sequence: 0,
      start,
      end: start + minutes * MS_PER_MINUTE,
      timeZone: TIME_ZONE,
      summary,
      organizer: { email: demoPro.email, name: demoPro.name },
      rrule,
    },
  });
  return [
    event('demo-dentist', 'Dentist', localInstant(now, first, '11:00'), 60),
    event('demo-course', 'First-aid refresher course', localInstant(now, second, '13:00'), 120),
    event(
      'demo-team-meeting',
      'Team meeting',
      localInstant(now, lastMonday - today, '08:30'),
      45,
      'FREQ=WEEKLY;BYDAY=MO',
    ),
  ];
}

/** The local date of an instant, for the printed curl lines. */
export const localDate = (instant: number) =>
  formatIsoDate(Math.floor(instantToLocal(zone, instant) / MS_PER_DAY));
