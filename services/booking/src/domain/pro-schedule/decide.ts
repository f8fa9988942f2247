import { type EventData, type bookingRescheduled, RuleViolation } from '@cs/contracts';
import { BookingNotFound, BookingStateConflict, SlotUnavailable } from './errors';
import {
  ALTERNATIVES,
  type PlacementRequest,
  type ScheduleInputs,
  appointmentsOf,
  durationOf,
  fits,
  nearestSlots,
} from './placement';
import {
  type BookingTerms,
  type ProSchedule,
  type ScheduleEvent,
  type ScheduledBooking,
  activeBookings,
  conflictKey,
  evolve,
  evolveAll,
  expiredHolds,
  initialSchedule,
} from './pro-schedule';

/** A new booking as the caller asks for it; duration and buffers come from the Pro's settings. */
export type BookingRequest = Omit<
  BookingTerms,
  'end' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'
>;

type Moved = EventData<typeof bookingRescheduled>;

export type ScheduleCommand =
  | {
      type: 'reserve';
      booking: BookingRequest;
      /** A hold until this instant, or null for a confirmed booking. */
      holdUntil: number | null;
      inputs: ScheduleInputs;
      now: number;
    }
  | { type: 'confirm'; bookingId: string; now: number }
  | { type: 'cancel'; bookingId: string; reason: string; now: number }
  | { type: 'reschedule'; bookingId: string; start: number; inputs: ScheduleInputs; now: number }
  /** A booking of another Pro moves here; `booking` is as that Pro's schedule knows it. */
  | {
      type: 'receive';
      proId: string;
      booking: ScheduledBooking;
      start: number;
      inputs: ScheduleInputs;
      now: number;
    }
  /** The counterpart of `receive` in the schedule the booking leaves. */
  | { type: 'release'; moved: Moved; now: number }
  | { type: 'expire_holds'; now: number }
  /**
   * An external event is in the way of a confirmed booking: record it with alternatives and,
   * where the client allowed it, move the booking to the nearest one.
   */
  | {
      type: 'resolve_conflict';
      bookingId: string;
      calendarId: string;
      eventUid: string;
      /** The Pro's inputs with the external event in them. */
      inputs: ScheduleInputs;
      now: number;
    };

const iso = (ms: number) => new Date(ms).toISOString();

function expire(state: ProSchedule, now: number): ScheduleEvent[] {
  return expiredHolds(state, now).map((b) => ({
    type: 'booking.hold_expired',
    data: { bookingId: b.bookingId, proId: b.proId },
  }));
}

function existing(state: ProSchedule, bookingId: string): ScheduledBooking {
  const booking = state.bookings.get(bookingId);
  if (!booking) throw new BookingNotFound(bookingId);
  return booking;
}

/** Checks the slot against the schedule without `except` (the booking being moved). */
function place(
  state: ProSchedule,
  proId: string,
  request: PlacementRequest,
  inputs: ScheduleInputs,
  now: number,
  except?: string,
) {
  const duration = durationOf(inputs, request.serviceId);
  if (!duration) {
    throw new RuleViolation([
      { field: 'serviceId', message: `Pro ${proId} does not offer "${request.serviceId}"` },
    ]);
  }
  const others = appointmentsOf(
    activeBookings(state, now).filter((b) => b.bookingId !== except),
    inputs.places,
  );
  if (!fits(request, inputs, others, now)) {
    const alternatives = nearestSlots(request, inputs, others, now)
      .slice(0, ALTERNATIVES)
      .sort((a, b) => a.start - b.start)
      .map((slot) => ({ ...slot, proIds: [proId] }));
    throw new SlotUnavailable(proId, request.start, alternatives);
  }
  return { ...duration, end: request.start + duration.durationMs };
}

function placementOf(
  booking: BookingRequest | ScheduledBooking,
  start: number,
  inputs: ScheduleInputs,
): PlacementRequest {
  return {
    serviceId: booking.serviceId,
    start,
    emergency: booking.priority === 'emergency',
    override: booking.override !== null,
    location: inputs.places.get(booking.bookingId) ?? null,
  };
}

function slotOf(b: ScheduledBooking) {
  return { proId: b.proId, serviceId: b.serviceId, start: iso(b.start), end: iso(b.end) };
}

function movable(booking: ScheduledBooking): void {
  if (booking.status !== 'confirmed') {
    throw new BookingStateConflict(
      booking.bookingId,
      'booking-inactive',
      `only a confirmed booking can be rescheduled; this one is ${booking.status}`,
    );
  }
}

export function decide(command: ScheduleCommand, state: ProSchedule): ScheduleEvent[] {
  switch (command.type) {
    case 'reserve': {
      const { booking, inputs, now, holdUntil } = command;
      if (state.bookings.has(booking.bookingId)) {
        throw new BookingStateConflict(booking.bookingId, 'duplicate', 'the booking exists');
      }
      const placed = place(
        state,
        booking.proId,
        placementOf(booking, booking.start, inputs),
        inputs,
        now,
      );
      const data = {
        bookingId: booking.bookingId,
        proId: booking.proId,
        serviceId: booking.serviceId,
        start: iso(booking.start),
        end: iso(placed.end),
        bufferBeforeMinutes: placed.bufferBeforeMinutes,
        bufferAfterMinutes: placed.bufferAfterMinutes,
        client: booking.client,
        location: booking.location,
        priority: booking.priority,
        override: booking.override,
        proIds: [...booking.proIds],
        seriesId: booking.seriesId,
        packageId: booking.packageId,
        allowAutoReschedule: booking.allowAutoReschedule,
      };
      const recorded: ScheduleEvent =
        holdUntil === null
          ? { type: 'booking.confirmed', data }
          : { type: 'booking.held', data: { ...data, holdExpiresAt: iso(holdUntil) } };
      return [...expire(state, now), recorded];
    }
    case 'confirm': {
      const booking = existing(state, command.bookingId);
      switch (booking.status) {
        case 'confirmed':
          return [];
        case 'held': {
          if (booking.holdExpiresAt <= command.now) {
            throw new BookingStateConflict(
              booking.bookingId,
              'hold-expired',
              'the hold has expired',
            );
          }
          const { status: _status, holdExpiresAt: _expiry, ...terms } = booking;
          return [
            {
              type: 'booking.confirmed',
              data: {
                ...terms,
                start: iso(terms.start),
                end: iso(terms.end),
                proIds: [...terms.proIds],
              },
            },
          ];
        }
        case 'cancelled':
        case 'expired':
        case 'moved':
          throw new BookingStateConflict(
            booking.bookingId,
            booking.status === 'expired' ? 'hold-expired' : 'booking-inactive',
            `the booking is ${booking.status}`,
          );
        default: {
          const unknown: never = booking;
          throw new Error(`unhandled booking status ${JSON.stringify(unknown)}`);
        }
      }
    }
    case 'cancel': {
      const booking = existing(state, command.bookingId);
      if (booking.status === 'cancelled') return [];
      if (booking.status !== 'confirmed' && booking.status !== 'held') {
        throw new BookingStateConflict(
          booking.bookingId,
          'booking-inactive',
          `the booking is ${booking.status}`,
        );
      }
      return [
        {
          type: 'booking.cancelled',
          data: { bookingId: booking.bookingId, proId: booking.proId, reason: command.reason },
        },
      ];
    }
    case 'reschedule': {
      const booking = existing(state, command.bookingId);
      movable(booking);
      const request = placementOf(booking, command.start, command.inputs);
      const placed = place(
        state,
        booking.proId,
        request,
        command.inputs,
        command.now,
        booking.bookingId,
      );
      return [
        ...expire(state, command.now),
        {
          type: 'booking.rescheduled',
          data: {
            bookingId: booking.bookingId,
            ...slotOf({ ...booking, start: command.start, end: placed.end }),
            previous: slotOf(booking),
          },
        },
      ];
    }
    case 'receive': {
      const { proId, booking, start, inputs, now } = command;
      movable(booking);
      const placed = place(state, proId, placementOf(booking, start, inputs), inputs, now);
      return [
        ...expire(state, now),
        {
          type: 'booking.rescheduled',
          data: {
            bookingId: booking.bookingId,
            proId,
            serviceId: booking.serviceId,
            start: iso(start),
            end: iso(placed.end),
            previous: slotOf(booking),
            bufferBeforeMinutes: placed.bufferBeforeMinutes,
            bufferAfterMinutes: placed.bufferAfterMinutes,
            client: booking.client,
            location: booking.location,
            priority: booking.priority,
          },
        },
      ];
    }
    case 'release': {
      const booking = existing(state, command.moved.bookingId);
      movable(booking);
      return [{ type: 'booking.rescheduled', data: command.moved }];
    }
    case 'expire_holds':
      return expire(state, command.now);
    case 'resolve_conflict':
      return resolveConflict(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unhandled schedule command ${JSON.stringify(unknown)}`);
    }
  }
}

function resolveConflict(
  command: Extract<ScheduleCommand, { type: 'resolve_conflict' }>,
  state: ProSchedule,
): ScheduleEvent[] {
  const { bookingId, calendarId, eventUid, inputs, now } = command;
  const booking = state.bookings.get(bookingId);
  if (booking?.status !== 'confirmed') return [];
  const key = conflictKey(calendarId, eventUid, booking.start);
  if (state.conflicts.get(bookingId)?.includes(key)) return [];
  const others = appointmentsOf(
    activeBookings(state, now).filter((b) => b.bookingId !== bookingId),
    inputs.places,
  );
  const nearest = nearestSlots(
    placementOf(booking, booking.start, inputs),
    inputs,
    others,
    now,
  ).slice(0, ALTERNATIVES);
  // A group booking moves all its Pros together: a person decides.
  const best = booking.allowAutoReschedule && booking.proIds.length === 1 ? nearest[0] : undefined;
  const detected: ScheduleEvent = {
    type: 'booking.conflict_detected',
    data: {
      bookingId,
      proId: booking.proId,
      calendarId,
      eventUid,
      alternatives: [...nearest]
        .sort((a, b) => a.start - b.start)
        .map((slot) => ({ start: iso(slot.start), end: iso(slot.end), proIds: [booking.proId] })),
      resolution: best ? 'auto_reschedule' : 'needs_person',
    },
  };
  if (!best) return [detected];
  return [
    detected,
    {
      type: 'booking.rescheduled',
      data: {
        bookingId,
        ...slotOf({ ...booking, start: best.start, end: best.end }),
        previous: slotOf(booking),
        automatic: true,
      },
    },
  ];
}

export const scheduleDecider = { initialState: initialSchedule, evolve, evolveAll, decide };
