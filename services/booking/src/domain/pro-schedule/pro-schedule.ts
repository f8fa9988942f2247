import type {
  EventData,
  bookingCancelled,
  bookingConfirmed,
  bookingConflictDetected,
  bookingHeld,
  bookingHoldExpired,
  bookingRescheduled,
} from '@cs/contracts';

export type ScheduleEvent =
  | { type: 'booking.held'; data: EventData<typeof bookingHeld> }
  | { type: 'booking.confirmed'; data: EventData<typeof bookingConfirmed> }
  | { type: 'booking.rescheduled'; data: EventData<typeof bookingRescheduled> }
  | { type: 'booking.cancelled'; data: EventData<typeof bookingCancelled> }
  | { type: 'booking.hold_expired'; data: EventData<typeof bookingHoldExpired> }
  | { type: 'booking.conflict_detected'; data: EventData<typeof bookingConflictDetected> };

export type ClientRef = EventData<typeof bookingHeld>['client'];
export type BookingLocation = EventData<typeof bookingHeld>['location'];
export type Priority = EventData<typeof bookingHeld>['priority'];

/** What a booking is about, whatever its status; instants are epoch milliseconds. */
export interface BookingTerms {
  readonly bookingId: string;
  readonly proId: string;
  readonly serviceId: string;
  readonly start: number;
  readonly end: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly client: ClientRef;
  readonly location: BookingLocation;
  readonly priority: Priority;
  readonly override: { readonly reason: string } | null;
  readonly proIds: readonly string[];
  readonly seriesId: string | null;
  readonly packageId: string | null;
  readonly allowAutoReschedule: boolean;
}

export type ScheduledBooking =
  | (BookingTerms & { readonly status: 'held'; readonly holdExpiresAt: number })
  | (BookingTerms & { readonly status: 'confirmed' })
  | (BookingTerms & { readonly status: 'cancelled' | 'expired' | 'moved' });

/** One Pro's schedule: every booking it has had, keyed by id. */
export interface ProSchedule {
  readonly bookings: ReadonlyMap<string, ScheduledBooking>;
  /** Per booking, the external events already found in its way (see `conflictKey`). */
  readonly conflicts: ReadonlyMap<string, readonly string[]>;
}

export const initialSchedule = (): ProSchedule => ({ bookings: new Map(), conflicts: new Map() });

/** One external event in the way of a booking at one time: recorded once, found again after a move. */
export const conflictKey = (calendarId: string, eventUid: string, bookingStart: number) =>
  `${calendarId}\n${eventUid}\n${bookingStart}`;

export const scheduleStreamId = (proId: string) => `pro-schedule-${proId}`;

const ms = (instant: string) => Date.parse(instant);

function termsOf(data: EventData<typeof bookingHeld> | EventData<typeof bookingConfirmed>) {
  return {
    bookingId: data.bookingId,
    proId: data.proId,
    serviceId: data.serviceId,
    start: ms(data.start),
    end: ms(data.end),
    bufferBeforeMinutes: data.bufferBeforeMinutes,
    bufferAfterMinutes: data.bufferAfterMinutes,
    client: data.client,
    location: data.location,
    priority: data.priority,
    override: data.override ?? null,
    proIds: data.proIds ?? [data.proId],
    seriesId: data.seriesId ?? null,
    packageId: data.packageId ?? null,
    allowAutoReschedule: data.allowAutoReschedule ?? false,
  } satisfies BookingTerms;
}

function moved(
  existing: ScheduledBooking | undefined,
  data: EventData<typeof bookingRescheduled>,
): ScheduledBooking | undefined {
  const start = ms(data.start);
  const end = ms(data.end);
  if (existing && existing.proId !== data.proId) return { ...existing, status: 'moved' };
  if (existing) return { ...existing, serviceId: data.serviceId, start, end };
  // The booking arrives from another Pro's schedule: the event carries what this one needs.
  if (!data.client || data.location === undefined) return undefined;
  return {
    status: 'confirmed',
    bookingId: data.bookingId,
    proId: data.proId,
    serviceId: data.serviceId,
    start,
    end,
    bufferBeforeMinutes: data.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: data.bufferAfterMinutes ?? 0,
    client: data.client,
    location: data.location,
    priority: data.priority ?? 'normal',
    override: null,
    proIds: [data.proId],
    seriesId: null,
    packageId: null,
    allowAutoReschedule: false,
  };
}

/** The maps a fold writes to: its own copies, made on its first write. */
interface Draft {
  readonly bookings: Map<string, ScheduledBooking>;
  readonly conflicts: Map<string, readonly string[]>;
}

export function evolve(state: ProSchedule, event: ScheduleEvent): ProSchedule {
  return evolveAll(state, [event]);
}

/**
 * `events` folded in turn onto `state`, which is left as it was. The maps are copied once per
 * fold rather than once per event, so folding a Pro's history costs its length, not its square.
 */
export function evolveAll(state: ProSchedule, events: readonly ScheduleEvent[]): ProSchedule {
  let draft: Draft | undefined;
  const own = (): Draft =>
    (draft ??= { bookings: new Map(state.bookings), conflicts: new Map(state.conflicts) });
  const bookings = () => draft?.bookings ?? state.bookings;
  const put = (booking: ScheduledBooking) => own().bookings.set(booking.bookingId, booking);
  for (const event of events) {
    switch (event.type) {
      case 'booking.held':
        put({
          ...termsOf(event.data),
          status: 'held',
          holdExpiresAt: ms(event.data.holdExpiresAt),
        });
        break;
      case 'booking.confirmed':
        put({ ...termsOf(event.data), status: 'confirmed' });
        break;
      case 'booking.rescheduled': {
        const next = moved(bookings().get(event.data.bookingId), event.data);
        if (next) put(next);
        break;
      }
      case 'booking.cancelled':
      case 'booking.hold_expired': {
        const existing = bookings().get(event.data.bookingId);
        if (!existing) break;
        put({ ...existing, status: event.type === 'booking.cancelled' ? 'cancelled' : 'expired' });
        break;
      }
      case 'booking.conflict_detected': {
        const { bookingId, calendarId, eventUid } = event.data;
        const booking = bookings().get(bookingId);
        if (!booking) break;
        const { conflicts } = own();
        const known = conflicts.get(bookingId) ?? [];
        conflicts.set(bookingId, [...known, conflictKey(calendarId, eventUid, booking.start)]);
        break;
      }
      default: {
        const unknown: never = event;
        throw new Error(`unhandled schedule event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return draft ?? state;
}

/** Held (and not yet expired at `now`) or confirmed: the bookings that take the Pro's time. */
export function activeBookings(state: ProSchedule, now: number): ScheduledBooking[] {
  return [...state.bookings.values()].filter(
    (b) => b.status === 'confirmed' || (b.status === 'held' && b.holdExpiresAt > now),
  );
}

export function expiredHolds(state: ProSchedule, now: number): ScheduledBooking[] {
  return [...state.bookings.values()].filter((b) => b.status === 'held' && b.holdExpiresAt <= now);
}
