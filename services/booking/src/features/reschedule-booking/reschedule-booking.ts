import { RuleViolation } from '@cs/contracts';
import { withPlace } from '../../domain/pro-schedule/placement';
import { type BookingRow } from '../../infrastructure/booking-reads';
import { type ScheduleTransaction } from '../../infrastructure/schedule-transaction';

async function inputsOf(schedules: ScheduleTransaction, proId: string, start: number) {
  const inputs = await schedules.inputs(proId, start);
  if (!inputs) {
    throw new RuleViolation([
      { field: 'proId', message: `no availability settings for Pro ${proId}` },
    ]);
  }
  return inputs;
}

/**
 * Moves a booking to `start` (and, for a one-Pro booking, possibly to another Pro). The new
 * slot is reserved before the old one is freed, in one transaction: the booking is never
 * without a slot and never holds two.
 */
export async function rescheduleBooking(
  schedules: ScheduleTransaction,
  booking: BookingRow,
  start: number,
  toProId: string | undefined,
): Promise<void> {
  const { now } = schedules;
  const bookingId = booking.booking_id;
  const fromProId = booking.pro_ids[0]!;
  if (toProId === undefined || (booking.pro_ids.length === 1 && toProId === fromProId)) {
    for (const proId of booking.pro_ids) {
      const inputs = await inputsOf(schedules, proId, start);
      await schedules.execute(proId, { type: 'reschedule', bookingId, start, inputs, now });
    }
    return;
  }
  if (booking.pro_ids.length > 1) {
    throw new RuleViolation([{ field: 'proId', message: 'a group booking keeps its Pros' }]);
  }
  await schedules.lock([fromProId, toProId]);
  const moving = (await schedules.schedule(fromProId)).bookings.get(bookingId)!;
  const inputs = withPlace(
    await inputsOf(schedules, toProId, start),
    bookingId,
    await schedules.placeOf(moving),
  );
  const [received] = await schedules.execute(toProId, {
    type: 'receive',
    proId: toProId,
    booking: moving,
    start,
    inputs,
    now,
  });
  if (received?.type !== 'booking.rescheduled') throw new Error('receive records a reschedule');
  await schedules.execute(fromProId, { type: 'release', moved: received.data, now });
}
