import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { MIN, iso, t, terms } from '../../../test/support/domain-fixtures';
import { type ScheduleEvent, evolve, evolveAll, initialSchedule } from './pro-schedule';

const TIMES = ['09:00', '10:00', '11:30', '14:00'];

/** Any booking event of Pro p-1 on one of four bookings, in any order. */
const scheduleEvent: fc.Arbitrary<ScheduleEvent> = fc
  .record({
    kind: fc.constantFrom(
      'held',
      'confirmed',
      'rescheduled',
      'moved away',
      'cancelled',
      'expired',
      'conflict',
    ),
    booking: fc.constantFrom('b-1', 'b-2', 'b-3', 'b-4'),
    time: fc.constantFrom(...TIMES),
  })
  .map(({ kind, booking, time }): ScheduleEvent => {
    const data = terms(booking, time);
    const slot = { proId: 'p-1', serviceId: 'wound-care', start: data.start, end: data.end };
    switch (kind) {
      case 'held':
        return { type: 'booking.held', data: { ...data, holdExpiresAt: iso(t(time) - 30 * MIN) } };
      case 'confirmed':
        return { type: 'booking.confirmed', data };
      case 'rescheduled':
        return {
          type: 'booking.rescheduled',
          data: { bookingId: booking, ...slot, previous: slot },
        };
      case 'moved away':
        return {
          type: 'booking.rescheduled',
          data: { bookingId: booking, ...slot, proId: 'p-2', previous: slot },
        };
      case 'cancelled':
        return {
          type: 'booking.cancelled',
          data: { bookingId: booking, proId: 'p-1', reason: 'client cancelled' },
        };
      case 'expired':
        return { type: 'booking.hold_expired', data: { bookingId: booking, proId: 'p-1' } };
      default:
        return {
          type: 'booking.conflict_detected',
          data: {
            bookingId: booking,
            proId: 'p-1',
            calendarId: 'google:primary',
            eventUid: `e-${time}`,
            alternatives: [],
            resolution: 'needs_person',
          },
        };
    }
  });

const snapshot = (state: ReturnType<typeof initialSchedule>) => ({
  bookings: [...state.bookings],
  conflicts: [...state.conflicts],
});

describe("a Pro's schedule folded in one go", () => {
  it('is the fold event by event, wherever the history is cut, and leaves the state it starts from as it was', () => {
    fc.assert(
      fc.property(fc.array(scheduleEvent, { maxLength: 30 }), fc.nat(), (events, cutAt) => {
        const cut = events.length === 0 ? 0 : cutAt % events.length;
        const oneByOne = events.reduce(evolve, initialSchedule());
        const before = evolveAll(initialSchedule(), events.slice(0, cut));
        const seen = snapshot(before);
        const after = evolveAll(before, events.slice(cut));
        expect(snapshot(after)).toEqual(snapshot(oneByOne));
        expect(snapshot(before)).toEqual(seen);
      }),
      { numRuns: 300 },
    );
  });

  it('answers the same state when nothing in the events applies to it', () => {
    const state = evolveAll(initialSchedule(), [
      { type: 'booking.confirmed', data: terms('b-1', '09:00') },
    ]);
    const unknown: ScheduleEvent = {
      type: 'booking.cancelled',
      data: { bookingId: 'b-9', proId: 'p-1', reason: 'none' },
    };
    expect(evolveAll(state, [unknown])).toBe(state);
  });
});
