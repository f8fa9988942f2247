/**
 * docs/design.md §7 budgets for the pure engine. Run: npm run bench:scheduling
 * Prints p50/p95 per case; figures go in the closing note, not in tests.
 */
import { expandRecurrence, ianaZone, parseRecurrenceRule } from '@cs/ical';
import {
  type Appointment,
  type AvailabilityQuery,
  type ExternalEvent,
  type GeoPoint,
  type ProSettings,
  availability,
  publicHolidays,
  suggestSlots,
} from '@cs/scheduling';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function measure(name: string, runs: number, budget: string, body: () => unknown): void {
  for (let i = 0; i < Math.min(20, runs); i++) body();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    body();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) =>
    times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  console.log(
    `${name.padEnd(62)} p50 ${pick(0.5).padStart(8)} ms   p95 ${pick(0.95).padStart(8)} ms   (budget ${budget}, ${runs} runs)`,
  );
}

/** A deterministic pseudo-random sequence, so every run measures the same input. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const settings = (home: GeoPoint | null): ProSettings => ({
  timeZone: 'Europe/Amsterdam',
  homeLocation: home,
  services: [
    {
      serviceId: 'wound-care',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
    },
  ],
  weeklyHours: [
    {
      days: ['MO', 'TU', 'WE', 'TH', 'FR'],
      start: '08:00',
      end: '12:30',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
    {
      days: ['MO', 'TU', 'WE', 'TH'],
      start: '13:00',
      end: '17:30',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
    {
      days: ['SA'],
      start: '09:00',
      end: '13:00',
      serviceIds: null,
      emergencyOnly: false,
      repeat: { everyWeeks: 2, startingWeekOf: '2026-11-30' },
    },
  ],
  dateOverrides: [{ date: '2026-12-24', windows: [{ start: '09:00', end: '12:00' }] }],
  minNoticeMinutes: 120,
  horizonDays: 60,
  maxBookingsPerDay: 12,
  slotStepMinutes: 15,
  worksOnHolidays: false,
  staleSourcePolicy: 'ignore',
});

const territory = {
  timeZone: 'Europe/Amsterdam',
  holidayRegion: 'NL',
  averageSpeedKmh: 35,
  detourFactor: 1.3,
  defaults: { minNoticeMinutes: null, horizonDays: null, maxBookingsPerDay: null },
};

const from = Date.parse('2026-12-01T00:00:00Z');
const now = from - DAY;
const around = (rand: () => number): GeoPoint => ({
  lat: 52.0 + rand() * 0.2,
  lng: 5.0 + rand() * 0.3,
});

function externalEvents(rand: () => number, count: number, recurring: number): ExternalEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const isRecurring = i < recurring;
    const start = isRecurring
      ? Date.parse('2025-01-06T07:00:00Z') + Math.floor(rand() * 10) * HOUR + i * DAY
      : from + Math.floor(rand() * 30 * 24 * 4) * 15 * 60_000;
    return {
      calendarId: i % 3 === 0 ? 'outlook:work' : 'google:primary',
      eventUid: `event-${i}`,
      recurrenceId: null,
      start: new Date(start).toISOString(),
      end: new Date(start + (1 + Math.floor(rand() * 4)) * 15 * 60_000).toISOString(),
      allDay: false,
      status: 'confirmed',
      transparent: false,
      declinedByPro: false,
      rrule: isRecurring
        ? i % 2
          ? 'FREQ=WEEKLY;BYDAY=MO,WE'
          : 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU'
        : null,
      rdates: [],
      exdates: [],
      timeZone: isRecurring ? 'Europe/Amsterdam' : null,
      location: rand() < 0.3 ? around(rand) : null,
      bookingId: null,
    };
  });
}

function bookingsOn(rand: () => number, day: number, count: number): Appointment[] {
  return Array.from({ length: count }, (_, i) => {
    const start = day + 8 * HOUR + i * 90 * 60_000;
    return {
      bookingId: `bk-${day}-${i}`,
      kind: 'booking',
      serviceId: 'wound-care',
      start,
      end: start + 45 * 60_000,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      location: around(rand),
    };
  });
}

// 1. One Pro, 30 days, 200 busy events (20 recurring), weekly rules, 15-minute step.
const rand = random(42);
const holidays = publicHolidays('NL', 2026, 2027);
const single: AvailabilityQuery = {
  settings: settings(around(rand)),
  territory,
  serviceId: 'wound-care',
  range: { start: from, end: from + 30 * DAY },
  now,
  clientLocation: around(rand),
  bookings: [],
  externalEvents: externalEvents(rand, 200, 20),
  absences: [{ start: from + 10 * DAY, end: from + 11 * DAY }],
  calendars: [
    { calendarId: 'google:primary', lastSyncedAt: now, staleAfterMinutes: 60, allDayBlocks: true },
    { calendarId: 'outlook:work', lastSyncedAt: now, staleAfterMinutes: 60, allDayBlocks: true },
  ],
  holidays,
};
console.log(`availability: ${availability(single).slots.length} slots in 30 days`);
measure('availability, 1 Pro, 30 days, 200 busy events, weekly rules', 2_000, 'p50 <= 2 ms', () =>
  availability(single),
);

// 2. Territory of 500 Pros, one day, travel counted from each Pro's neighbours and home.
const day = Date.parse('2026-12-02T00:00:00Z');
const client = around(rand);
const candidates = Array.from({ length: 500 }, (_, i) => ({
  proId: `pro-${String(i).padStart(3, '0')}`,
  query: {
    ...single,
    settings: settings(around(rand)),
    range: { start: day, end: day + DAY },
    clientLocation: client,
    bookings: bookingsOn(rand, day, 1 + (i % 5)),
    externalEvents: externalEvents(rand, 4, 1).map((e) => ({
      ...e,
      start: e.rrule ? e.start : new Date(day + (Date.parse(e.start) % DAY)).toISOString(),
      end: e.rrule ? e.end : new Date(day + (Date.parse(e.end) % DAY)).toISOString(),
    })),
  },
}));
console.log(
  `territory: ${suggestSlots({ candidates, timeZone: 'Europe/Amsterdam', limit: 10 }).length} suggestions`,
);
measure('best slots, territory of 500 Pros, 1 day, with travel', 50, '<= 100 ms', () =>
  suggestSlots({ candidates, timeZone: 'Europe/Amsterdam', limit: 10 }),
);

// 3. A weekday rule from 2015 expanded into one month of 2027, in a zone with DST.
const amsterdam = ianaZone('Europe/Amsterdam');
if (!amsterdam) throw new Error('Europe/Amsterdam missing from the tz database');
const series = {
  startLocal: Date.UTC(2015, 0, 5, 9, 0),
  zone: amsterdam,
  allDay: false,
  duration: { days: 0, ms: HOUR },
  rule: parseRecurrenceRule('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'),
  rdates: [],
  exdates: [],
};
const month = {
  start: Date.parse('2027-03-01T00:00:00Z'),
  end: Date.parse('2027-04-01T00:00:00Z'),
};
console.log(`expansion: ${expandRecurrence(series, month).length} occurrences`);
measure('expand a weekday rule from 2015 into a month of 2027', 5_000, '< 1 ms', () =>
  expandRecurrence(series, month),
);

// 4. Rules with ordinals and BYSETPOS, from 2015, into the same month.
for (const text of [
  'FREQ=MONTHLY;BYDAY=2TU',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
]) {
  const librarySeries = { ...series, rule: parseRecurrenceRule(text) };
  measure(`expand ${text} from 2015 into a month of 2027`, 1_000, '< 1 ms', () =>
    expandRecurrence(librarySeries, month),
  );
}
