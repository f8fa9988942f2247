import { expandEvent, IcalError, type IcalEvent, MS_PER_DAY, type TimeZone } from '@cs/ical';

/** How far ahead bookings can be made, so how far a rule must be expandable to count. */
export const BOOKING_HORIZON_DAYS = 730;

/**
 * Whether a recurring event's rule can be expanded over the booking horizon from `now`.
 * A rule that cannot (over its budget, or unreadable) is answered with a reason: the caller
 * counts the event at its first instance only, conservatively busy, and reports the reason.
 */
export function recurrenceProblem(event: IcalEvent, now: number, zone: TimeZone): string | null {
  if (!event.rrule || event.recurrenceId) return null;
  try {
    expandEvent(event, [], { start: now, end: now + BOOKING_HORIZON_DAYS * MS_PER_DAY }, zone);
    return null;
  } catch (error) {
    const why = error instanceof IcalError ? ` (${error.detail})` : '';
    return `the recurrence rule could not be expanded${why}; only the first instance is counted`;
  }
}
