import { type GroupSlot } from '@cs/scheduling';

/** The Pro (or one Pro of a group) is not free at the requested time; `alternatives` are the nearest free slots. */
export class SlotUnavailable extends Error {
  override readonly name = 'SlotUnavailable';

  constructor(
    readonly proId: string,
    readonly start: number,
    readonly alternatives: readonly GroupSlot[],
  ) {
    super(`Pro ${proId} is not free at ${new Date(start).toISOString()}`);
  }
}

export class BookingNotFound extends Error {
  override readonly name = 'BookingNotFound';

  constructor(readonly bookingId: string) {
    super(`no booking ${bookingId}`);
  }
}

export type BookingStateProblem = 'hold-expired' | 'booking-inactive' | 'not-a-hold' | 'duplicate';

/** The booking is in a state that does not allow the command. */
export class BookingStateConflict extends Error {
  override readonly name = 'BookingStateConflict';

  constructor(
    readonly bookingId: string,
    readonly problem: BookingStateProblem,
    detail: string,
  ) {
    super(detail);
  }
}
