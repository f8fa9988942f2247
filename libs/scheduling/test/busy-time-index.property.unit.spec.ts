import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { ianaZone } from '@cs/ical';
import { type Appointment, type ExternalEvent, type SourceCalendar, busyTime } from '../src';
import { linearBusyTime } from './linear-busy-time';

const DAY = 86_400_000;
const FIRST = Date.parse('2026-01-05T00:00:00Z');
/** Four months of history: DST changes in both zones, ranges before, inside and after it. */
const SPAN_DAYS = 120;
const ZONES = ['Europe/Amsterdam', 'America/New_York'].map((z) => ianaZone(z)!);
const CALENDARS = ['google:primary', 'outlook:work'];

const iso = (ms: number) => new Date(ms).toISOString();
const wallClock = (ms: number) => iso(ms).slice(0, 19);
const date = (ms: number) => iso(ms).slice(0, 10);
const until = (ms: number) => iso(ms).replace(/[-:]|\.\d{3}/g, '');

const RULES = fc.constantFrom<(start: number) => string | null>(
  () => null,
  () => null,
  () => 'FREQ=WEEKLY;COUNT=5',
  () => 'FREQ=DAILY;INTERVAL=2;COUNT=10',
  (start) => `FREQ=MONTHLY;BYDAY=2TU;UNTIL=${until(start + 70 * DAY)}`,
  (start) => `FREQ=DAILY;UNTIL=${until(start + 9 * DAY).slice(0, 8)}`,
  () => 'FREQ=WEEKLY;BYDAY=MO,TH',
  () => 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2',
);

/** One external event of a random history: instants, wall-clock and all-day times, series and overrides. */
const event = fc
  .record({
    calendar: fc.constantFrom(...CALENDARS),
    uid: fc.integer({ min: 0, max: 12 }),
    day: fc.integer({ min: 0, max: SPAN_DAYS }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    minutes: fc.constantFrom(0, 15, 60, 90, 24 * 60, 3 * 24 * 60),
    form: fc.constantFrom('instant', 'wall-clock', 'all-day'),
    status: fc.constantFrom<ExternalEvent['status']>(
      'confirmed',
      'confirmed',
      'tentative',
      'cancelled',
    ),
    transparent: fc.constantFrom(false, false, false, false, true),
    declinedByPro: fc.constantFrom(false, false, false, true),
    rule: RULES,
    rdate: fc.option(fc.integer({ min: -3, max: 40 }), { freq: 4 }),
    exdate: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 3 }),
    override: fc.option(fc.integer({ min: 0, max: 10 }), { freq: 5 }),
    timeZone: fc.constantFrom(null, null, 'Asia/Kolkata'),
    bookingId: fc.constantFrom(null, null, null, 'bk-1'),
  })
  .map((r): ExternalEvent => {
    const start = FIRST + r.day * DAY + r.minute * 60_000;
    const allDay = r.form === 'all-day';
    const at = (ms: number) => (allDay ? date(ms) : r.form === 'instant' ? iso(ms) : wallClock(ms));
    const end = allDay
      ? start + Math.max(1, Math.round(r.minutes / 1440)) * DAY
      : start + r.minutes * 60_000;
    const rrule = r.override === null ? r.rule(start) : null;
    return {
      calendarId: r.calendar,
      eventUid: `e${r.uid}`,
      recurrenceId: r.override === null ? null : at(start - r.override * DAY),
      start: at(start),
      end: at(end),
      allDay,
      status: r.status,
      transparent: r.transparent,
      declinedByPro: r.declinedByPro,
      rrule,
      rdates: r.rdate === null ? [] : [{ start: at(start + r.rdate * DAY), end: null }],
      exdates: r.exdate === null ? [] : [at(start + r.exdate * DAY)],
      timeZone: r.timeZone,
      location: null,
      bookingId: r.bookingId,
    };
  });

const booking = fc
  .record({ id: fc.constantFrom('bk-1', 'bk-2'), day: fc.integer({ min: 0, max: SPAN_DAYS }) })
  .map(({ id, day }): Appointment => ({
    bookingId: id,
    kind: 'booking',
    serviceId: 'visit',
    start: FIRST + day * DAY + 9 * 3_600_000,
    end: FIRST + day * DAY + 10 * 3_600_000,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    location: null,
  }));

const range = fc
  .record({
    day: fc.integer({ min: -30, max: SPAN_DAYS + 30 }),
    days: fc.integer({ min: 0, max: 45 }),
  })
  .map(({ day, days }) => ({ start: FIRST + day * DAY, end: FIRST + (day + days) * DAY }));

describe('busy time through the index (docs/adr/0018)', () => {
  it('answers as the linear rule did, for any history and any ranges asked of it in turn', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 30 }),
        fc.array(booking, { maxLength: 3 }),
        fc.array(range, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...ZONES),
        fc.boolean(),
        (externalEvents, bookings, ranges, zone, allDayBlocks) => {
          const calendars: SourceCalendar[] = [
            { calendarId: CALENDARS[0]!, lastSyncedAt: null, staleAfterMinutes: 60, allDayBlocks },
          ];
          for (const asked of ranges) {
            const input = { bookings, externalEvents, calendars, range: asked, zone };
            expect(busyTime(input)).toEqual(linearBusyTime(input));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
