import { type Principal, ProblemException } from '@cs/platform';
import { assertCanSeeBooking } from './booking-access';
import { type BookingRow, findBooking } from './booking-reads';
import { type ScheduleTransaction } from './schedule-transaction';

/** `If-Match: "3"` or `3`: the booking version the caller saw. */
function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const version = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new ProblemException({
      status: 400,
      type: 'bad-request',
      detail: 'If-Match must be a version number',
    });
  }
  return version;
}

/**
 * The booking a command changes, with its Pros' schedules locked: checked for access and for the
 * version the caller saw.
 */
export async function lockedBooking(
  schedules: ScheduleTransaction,
  principal: Principal,
  bookingId: string,
  ifMatch: string | undefined,
): Promise<BookingRow> {
  const seen = assertCanSeeBooking(
    principal,
    await findBooking(schedules.tx, bookingId),
    bookingId,
  );
  await schedules.lock(seen.pro_ids);
  const booking = (await findBooking(schedules.tx, bookingId))!;
  await schedules.lock(booking.pro_ids);
  const expected = expectedVersion(ifMatch);
  if (expected !== undefined && expected !== booking.version) {
    throw new ProblemException({
      status: 412,
      type: 'version-mismatch',
      detail: `The booking is at version ${booking.version}; reload it and try again.`,
      extensions: { currentVersion: booking.version },
    });
  }
  return booking;
}
