import { type Principal, ProblemException, forbidden } from '@cs/platform';
import { type BookingRow } from './booking-reads';

/** docs/api.md: a service sees every booking, a Pro those it works on, a client only its own. */
export function canSeeBooking(
  principal: Principal,
  booking: Pick<BookingRow, 'pro_ids' | 'client_id'>,
) {
  if (principal.roles.includes('service')) return true;
  if (principal.roles.includes('pro') && booking.pro_ids.includes(principal.proId!)) return true;
  return principal.roles.includes('client') && booking.client_id === principal.clientId;
}

/** Someone else's booking is reported as missing, so its existence does not leak. */
export function assertCanSeeBooking(
  principal: Principal,
  booking: BookingRow | undefined,
  bookingId: string,
): BookingRow {
  if (!booking || !canSeeBooking(principal, booking)) {
    throw new ProblemException({
      status: 404,
      type: 'not-found',
      detail: `no booking ${bookingId}`,
    });
  }
  return booking;
}

/** Who may book for whom: a client for itself, a Pro on its own schedule, a service for anyone. */
export function assertCanBook(principal: Principal, clientId: string, proIds: readonly string[]) {
  if (principal.roles.includes('service')) return;
  if (principal.roles.includes('pro') && proIds.every((p) => p === principal.proId)) return;
  if (principal.roles.includes('client') && clientId === principal.clientId) return;
  throw forbidden('This token may not book for this client or these Pros.');
}
