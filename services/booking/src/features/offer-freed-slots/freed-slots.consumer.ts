import {
  type EventData,
  type bookingCancelled,
  type bookingHoldExpired,
  type bookingRescheduled,
} from '@cs/contracts';
import {
  type Clock,
  type ConsumerDefinition,
  type EventStore,
  type PersonalData,
} from '@cs/eventing';
import { type PoolClient } from 'pg';
import { findBooking } from '../../infrastructure/booking-reads';
import { ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { type FreedSlot, offerFreedSlot } from './offer-freed-slot';

type Freeing =
  | EventData<typeof bookingCancelled>
  | EventData<typeof bookingHoldExpired>
  | EventData<typeof bookingRescheduled>;

async function freedSlot(
  tx: PoolClient,
  type: string,
  data: Freeing,
): Promise<FreedSlot | undefined> {
  if (type === 'booking.rescheduled') {
    const { previous } = data as EventData<typeof bookingRescheduled>;
    return { ...previous, start: Date.parse(previous.start), end: Date.parse(previous.end) };
  }
  if (type !== 'booking.cancelled' && type !== 'booking.hold_expired') return undefined;
  const booking = await findBooking(tx, data.bookingId);
  if (!booking) return undefined;
  return {
    proId: data.proId,
    serviceId: booking.service_id,
    start: booking.start_at.getTime(),
    end: booking.end_at.getTime(),
  };
}

/**
 * The waitlist's side of our own stream: a slot freed by a cancellation, an expired hold or a
 * booking moved away is offered to the first in line (docs/design.md §4).
 */
export const freedSlotsConsumer = (
  store: () => EventStore,
  personal: () => PersonalData,
  clock: Clock,
  offerTtlMs: number,
): ConsumerDefinition => ({
  name: 'booking-waitlist-offers',
  stream: 'booking',
  async handleEvent({ envelope }, tx) {
    const slot = await freedSlot(tx, envelope.type, envelope.data as Freeing);
    if (!slot || slot.end <= clock.now().getTime()) return;
    const schedules = new ScheduleTransaction(tx, store(), clock.now().getTime(), personal());
    await offerFreedSlot(schedules, store(), slot, offerTtlMs);
  },
});
