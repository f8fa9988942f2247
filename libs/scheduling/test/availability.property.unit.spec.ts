import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  type Appointment,
  type AvailabilityQuery,
  type ExternalEvent,
  type GeoPoint,
  type WeeklyRule,
  availability,
  greatCircleTravel,
  mergeIntervals,
  toLocalIso,
  workingWindows,
} from '../src';
import { minutes, proSettings, territory } from './fixtures';

const ZONES = [
  'Europe/Amsterdam',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
] as const;
/** Starts of ranges that contain DST changes in at least one of the zones. */
const DAYS = [
  '2026-03-07',
  '2026-03-28',
  '2026-04-04',
  '2026-10-03',
  '2026-10-24',
  '2026-10-31',
  '2026-12-01',
].map((d) => Date.parse(`${d}T00:00:00Z`));
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const travel = greatCircleTravel({ averageSpeedKmh: 40, detourFactor: 1.3 });

const place: fc.Arbitrary<GeoPoint | null> = fc.option(
  fc.record({
    lat: fc.double({ min: 51.9, max: 52.3, noNaN: true }),
    lng: fc.double({ min: 4.9, max: 5.5, noNaN: true }),
  }),
);

const rule: fc.Arbitrary<WeeklyRule> = fc.record({
  days: fc.uniqueArray(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU' as const), {
    minLength: 1,
  }),
  start: fc.constantFrom('00:00', '01:30', '02:15', '06:00', '08:45', '13:00'),
  end: fc.constantFrom('03:00', '04:00', '12:00', '17:30', '24:00'),
  serviceIds: fc.constantFrom(null, null, ['wound-care'], ['bathing']),
  emergencyOnly: fc.constantFrom(false, false, true),
  repeat: fc.constant(null),
});

const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    day: fc.constantFrom(...DAYS),
    days: fc.integer({ min: 1, max: 3 }),
    rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
    step: fc.constantFrom(5, 15, 20, 30),
    notice: fc.constantFrom(null, 0, 90),
    limit: fc.constantFrom(null, 1, 3),
    emergency: fc.boolean(),
    client: place,
    bookings: fc.array(
      fc.record({
        at: fc.integer({ min: -24, max: 96 * 4 }),
        length: fc.integer({ min: 1, max: 8 }),
        before: fc.integer({ min: 0, max: 3 }),
        after: fc.integer({ min: 0, max: 3 }),
        location: place,
      }),
      { maxLength: 6 },
    ),
    externals: fc.array(
      fc.record({
        at: fc.integer({ min: -24, max: 96 * 4 }),
        length: fc.integer({ min: 0, max: 12 }),
        location: place,
        cancelled: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  })
  .map((s): AvailabilityQuery => {
    const start = s.day;
    const quarter = (n: number) => start + n * 15 * 60_000;
    return {
      settings: proSettings({
        timeZone: s.zone,
        weeklyHours: s.rules,
        slotStepMinutes: s.step,
        minNoticeMinutes: s.notice,
        maxBookingsPerDay: s.limit,
      }),
      territory,
      holidays: new Set(),
      serviceId: 'wound-care',
      range: { start, end: start + s.days * 24 * HOUR },
      now: start - 2 * HOUR,
      emergency: s.emergency,
      clientLocation: s.client,
      travel,
      absences: [],
      calendars: [],
      bookings: s.bookings.map((b, i): Appointment => ({
        bookingId: `b${i}`,
        kind: i % 2 ? 'hold' : 'booking',
        serviceId: 'bathing',
        start: quarter(b.at),
        end: quarter(b.at + b.length),
        bufferBeforeMinutes: b.before * 10,
        bufferAfterMinutes: b.after * 10,
        location: b.location,
      })),
      externalEvents: s.externals.map((e, i): ExternalEvent => ({
        calendarId: 'cal',
        eventUid: `e${i}`,
        recurrenceId: null,
        start: iso(quarter(e.at)),
        end: iso(quarter(e.at + e.length)),
        allDay: false,
        status: e.cancelled ? 'cancelled' : 'confirmed',
        transparent: false,
        declinedByPro: false,
        rrule: null,
        rdates: [],
        exdates: [],
        timeZone: null,
        location: e.location,
        bookingId: null,
      })),
    };
  });

const travelMs = (a: GeoPoint | null, b: GeoPoint | null) => (a && b ? travel(a, b) * 60_000 : 0);

describe('availability properties', () => {
  it('the generated scenarios mostly have slots, so the properties below are not vacuous', () => {
    const samples = fc.sample(scenario, { numRuns: 200, seed: 7 });
    const withSlots = samples.filter((q) => availability(q).slots.length > 0).length;
    expect(withSlots).toBeGreaterThan(100);
  });

  it('no slot overlaps busy time or breaks a gap rule (buffers and travel)', () => {
    fc.assert(
      fc.property(scenario, (q) => {
        const service = { before: 0, after: minutes(15) };
        const neighbours = [
          ...q.bookings.map((b) => ({
            ...b,
            bufferBefore: minutes(b.bufferBeforeMinutes),
            bufferAfter: minutes(b.bufferAfterMinutes),
          })),
          ...q.externalEvents
            .filter((e) => e.status !== 'cancelled')
            .map((e) => ({
              ...e,
              start: Date.parse(e.start),
              end: Date.parse(e.end),
              bufferBefore: 0,
              bufferAfter: 0,
            })),
        ];
        for (const slot of availability(q).slots) {
          for (const x of neighbours) {
            const client = q.clientLocation ?? null;
            const okBefore =
              slot.start >=
              x.end + Math.max(x.bufferAfter, service.before) + travelMs(x.location, client);
            const okAfter =
              slot.end + Math.max(service.after, x.bufferBefore) + travelMs(client, x.location) <=
              x.start;
            expect(okBefore || okAfter).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every slot lies in a window that allows the service, after notice, within the range', () => {
    fc.assert(
      fc.property(scenario, (q) => {
        const windows = workingWindows({
          settings: q.settings,
          range: q.range,
          absences: q.absences,
          holidays: new Set(),
        }).filter(
          (w) =>
            (w.serviceIds === null || w.serviceIds.includes('wound-care')) &&
            (q.emergency || !w.emergencyOnly),
        );
        const union = mergeIntervals(windows);
        const notice = q.emergency ? 0 : minutes(q.settings.minNoticeMinutes ?? 0);
        for (const slot of availability(q).slots) {
          expect(slot.end - slot.start).toBe(minutes(45));
          expect(union.some((w) => w.start <= slot.start && slot.end <= w.end)).toBe(true);
          expect(slot.start).toBeGreaterThanOrEqual(Math.max(q.range.start, q.now + notice));
          expect(slot.end).toBeLessThanOrEqual(q.range.end);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adding busy time never adds slots', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        place,
        (q, at, length, location) => {
          const extra: ExternalEvent = {
            ...q.externalEvents[0],
            calendarId: 'cal',
            eventUid: 'extra',
            recurrenceId: null,
            start: iso(q.range.start + at * 15 * 60_000),
            end: iso(q.range.start + (at + length) * 15 * 60_000),
            allDay: false,
            status: 'confirmed',
            transparent: false,
            declinedByPro: false,
            rrule: null,
            rdates: [],
            exdates: [],
            timeZone: null,
            location,
            bookingId: null,
          };
          const before = new Set(availability(q).slots.map((s) => s.start));
          const after = availability({ ...q, externalEvents: [...q.externalEvents, extra] }).slots;
          expect(after.every((s) => before.has(s.start))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same slots whatever order the inputs arrive in', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (q, seed) => {
        const shuffle = <T>(items: readonly T[]) =>
          items
            .map((item, i) => ({ item, key: Math.sin(seed + i * 7919) }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
        const reordered = {
          ...q,
          bookings: shuffle(q.bookings),
          externalEvents: shuffle(q.externalEvents),
          settings: { ...q.settings, weeklyHours: shuffle(q.settings.weeklyHours) },
        };
        expect(availability(reordered).slots).toEqual(availability(q).slots);
      }),
      { numRuns: 200 },
    );
  });

  it('a slot shown in another zone is the same instant', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(...ZONES), (q, shownIn) => {
        for (const slot of availability(q).slots)
          expect(Date.parse(toLocalIso(slot.start, shownIn))).toBe(slot.start);
      }),
      { numRuns: 100 },
    );
  });
});
