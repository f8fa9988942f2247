import { RuleViolation } from '@cs/contracts';
import { deciderSpec } from '@cs/testing';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  MIN,
  dayBefore,
  hours,
  iso,
  t,
  terms,
  woundCare,
  inputs as weekdayInputs,
} from '../../../test/support/domain-fixtures';
import { type BookingRequest, type ScheduleCommand, decide, scheduleDecider } from './decide';
import { BookingStateConflict, SlotUnavailable } from './errors';
import { type ScheduleInputs } from './placement';
import { type ScheduleEvent, evolve, initialSchedule } from './pro-schedule';

const now = dayBefore;

/** Tuesdays only, with emergency-only evenings, and wound care alone. */
const inputs: ScheduleInputs = {
  ...weekdayInputs,
  settings: {
    ...weekdayInputs.settings,
    services: [woundCare],
    weeklyHours: [hours(['TU'], '09:00', '17:00'), hours(['TU'], '17:00', '20:00', true)],
  },
};

const request = (
  bookingId: string,
  time: string,
  extra: Partial<BookingRequest> = {},
): BookingRequest => ({
  bookingId,
  proId: 'p-1',
  serviceId: 'wound-care',
  start: t(time),
  client: { clientId: 'c-1', timeZone: null, locale: null },
  location: null,
  priority: 'normal',
  override: null,
  proIds: ['p-1'],
  seriesId: null,
  packageId: null,
  allowAutoReschedule: false,
  ...extra,
});

const reserve = (booking: BookingRequest, holdUntil: number | null = null): ScheduleCommand => ({
  type: 'reserve',
  booking,
  holdUntil,
  inputs,
  now,
});

const confirmed = (bookingId: string, time: string): ScheduleEvent => ({
  type: 'booking.confirmed',
  data: terms(bookingId, time),
});
const held = (bookingId: string, time: string, until: number): ScheduleEvent => ({
  type: 'booking.held',
  data: { ...terms(bookingId, time), holdExpiresAt: iso(until) },
});

const spec = deciderSpec(scheduleDecider);

describe('a Pro schedule', () => {
  it('books a free slot with the service duration and buffers', () => {
    spec
      .given([])
      .when(reserve(request('b-1', '09:00')))
      .then([confirmed('b-1', '09:00')]);
  });

  it('refuses a slot within the gap after another booking, offering the nearest free slots', () => {
    spec
      .given([confirmed('b-1', '09:00')])
      .when(reserve(request('b-2', '09:45')))
      .thenThrows(SlotUnavailable);
    let refusal: unknown;
    try {
      decide(
        reserve(request('b-2', '09:45')),
        evolve(initialSchedule(), confirmed('b-1', '09:00')),
      );
    } catch (error) {
      refusal = error;
    }
    expect((refusal as SlotUnavailable).alternatives.map((a) => a.start)).toContain(t('10:00'));
    spec
      .given([confirmed('b-1', '09:00')])
      .when(reserve(request('b-2', '10:00')))
      .then([confirmed('b-2', '10:00')]);
  });

  it('keeps emergency-only windows for emergencies and lets an override ignore windows, not bookings', () => {
    spec
      .given([])
      .when(reserve(request('b-1', '18:00')))
      .thenThrows(SlotUnavailable);
    spec
      .given([])
      .when(reserve(request('b-1', '18:00', { priority: 'emergency' })))
      .then([
        { type: 'booking.confirmed', data: { ...terms('b-1', '18:00'), priority: 'emergency' } },
      ]);
    const override = { reason: 'agreed by phone' };
    spec
      .given([])
      .when(reserve(request('b-1', '07:00', { override })))
      .then([{ type: 'booking.confirmed', data: { ...terms('b-1', '07:00'), override } }]);
    spec
      .given([confirmed('b-0', '07:00')])
      .when(reserve(request('b-1', '07:30', { override })))
      .thenThrows(SlotUnavailable);
  });

  it('holds until a time, confirms once, and refuses to confirm an expired hold', () => {
    const until = now + 10 * MIN;
    spec
      .given([])
      .when(reserve(request('b-1', '09:00'), until))
      .then([held('b-1', '09:00', until)]);
    spec
      .given([held('b-1', '09:00', until)])
      .when({ type: 'confirm', bookingId: 'b-1', now })
      .then([confirmed('b-1', '09:00')]);
    spec
      .given([held('b-1', '09:00', until), confirmed('b-1', '09:00')])
      .when({ type: 'confirm', bookingId: 'b-1', now })
      .then([]);
    spec
      .given([held('b-1', '09:00', until)])
      .when({ type: 'confirm', bookingId: 'b-1', now: until })
      .thenThrows(BookingStateConflict);
  });

  it('records the expiry of a due hold before booking over it', () => {
    spec
      .given([held('b-1', '09:00', now)])
      .when(reserve(request('b-2', '09:00')))
      .then([
        { type: 'booking.hold_expired', data: { bookingId: 'b-1', proId: 'p-1' } },
        confirmed('b-2', '09:00'),
      ]);
    spec
      .given([held('b-1', '09:00', now)])
      .when({ type: 'expire_holds', now })
      .then([{ type: 'booking.hold_expired', data: { bookingId: 'b-1', proId: 'p-1' } }]);
  });

  it('cancels once and reschedules against every booking but itself', () => {
    spec
      .given([confirmed('b-1', '09:00')])
      .when({ type: 'cancel', bookingId: 'b-1', reason: 'ill', now })
      .then([
        { type: 'booking.cancelled', data: { bookingId: 'b-1', proId: 'p-1', reason: 'ill' } },
      ]);
    spec
      .given([confirmed('b-1', '09:00')])
      .when({ type: 'reschedule', bookingId: 'b-1', start: t('09:15'), inputs, now })
      .then([
        {
          type: 'booking.rescheduled',
          data: {
            bookingId: 'b-1',
            proId: 'p-1',
            serviceId: 'wound-care',
            start: iso(t('09:15')),
            end: iso(t('10:00')),
            previous: {
              proId: 'p-1',
              serviceId: 'wound-care',
              start: iso(t('09:00')),
              end: iso(t('09:45')),
            },
          },
        },
      ]);
    spec
      .given([confirmed('b-1', '09:00'), confirmed('b-2', '11:00')])
      .when({ type: 'reschedule', bookingId: 'b-1', start: t('10:30'), inputs, now })
      .thenThrows(SlotUnavailable);
  });

  it('refuses a service the Pro does not offer, naming the field', () => {
    spec
      .given([])
      .when(reserve(request('b-1', '09:00', { serviceId: 'bathing' })))
      .thenThrows(RuleViolation);
  });

  it('never lets two active bookings break the gap rule, whatever is asked in whatever order', () => {
    const quarter = fc.integer({ min: 0, max: 40 }).map((q) => t('08:00') + q * 15 * MIN);
    fc.assert(
      fc.property(fc.array(quarter, { maxLength: 25 }), (starts) => {
        let state = initialSchedule();
        starts.forEach((start, i) => {
          try {
            const events = decide(reserve({ ...request(`b-${i}`, '09:00'), start }), state);
            state = events.reduce(evolve, state);
          } catch (error) {
            if (!(error instanceof SlotUnavailable)) throw error;
          }
        });
        const booked = [...state.bookings.values()].sort((a, b) => a.start - b.start);
        for (let i = 1; i < booked.length; i++)
          expect(booked[i]!.start - booked[i - 1]!.end).toBeGreaterThanOrEqual(15 * MIN);
      }),
      { numRuns: 60 },
    );
  });
});
