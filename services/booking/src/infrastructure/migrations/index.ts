import { BookingBookings0000000100001 } from './0000000100001-bookings';
import { BookingWaitlist0000000100002 } from './0000000100002-waitlist';
import { BookingFeeds0000000100003 } from './0000000100003-feeds';

/**
 * The write side's own tables, changed in the same transaction as the events: the bookings as
 * the API shows them, the time each active booking reserves (a PostgreSQL exclusion constraint,
 * the last guard against double-booking) and the idempotency keys.
 */
export const bookingMigrations = [
  BookingBookings0000000100001,
  BookingWaitlist0000000100002,
  BookingFeeds0000000100003,
];
