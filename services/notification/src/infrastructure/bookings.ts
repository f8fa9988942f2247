import { type PoolClient } from 'pg';
import { type BookingSnapshot } from './delivery-queue/notification-content';

export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'expired';

interface BookingRow {
  booking_id: string;
  pro_id: string;
  client_id: string | null;
  client_time_zone: string | null;
  client_locale: string | null;
  service_id: string;
  start_at: Date;
  end_at: Date;
  location: BookingSnapshot['location'];
  client_contact: BookingSnapshot['clientContact'] | null;
  status: BookingStatus;
  sequence: number;
}

export interface KnownBooking {
  snapshot: BookingSnapshot;
  status: BookingStatus;
}

/** The last known state of a booking, locked for the rest of the transaction. */
export async function loadBooking(tx: PoolClient, bookingId: string): Promise<KnownBooking | null> {
  const { rows } = await tx.query<BookingRow>(
    'SELECT * FROM bookings WHERE booking_id = $1 FOR UPDATE',
    [bookingId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    status: row.status,
    snapshot: {
      bookingId: row.booking_id,
      proId: row.pro_id,
      clientId: row.client_id,
      clientTimeZone: row.client_time_zone,
      clientLocale: row.client_locale,
      serviceId: row.service_id,
      start: row.start_at.toISOString(),
      end: row.end_at.toISOString(),
      location: row.location,
      ...(row.client_contact ? { clientContact: row.client_contact } : {}),
      sequence: row.sequence,
    },
  };
}

export async function saveBooking(
  tx: PoolClient,
  booking: KnownBooking,
  updatedAt: string,
): Promise<void> {
  const s = booking.snapshot;
  await tx.query(
    `INSERT INTO bookings (booking_id, pro_id, client_id, client_time_zone, client_locale, service_id,
        start_at, end_at, location, status, sequence, updated_at, client_contact)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (booking_id) DO UPDATE SET pro_id = excluded.pro_id, client_id = excluded.client_id,
       client_time_zone = excluded.client_time_zone, client_locale = excluded.client_locale,
       service_id = excluded.service_id, start_at = excluded.start_at, end_at = excluded.end_at,
       location = excluded.location, status = excluded.status, sequence = excluded.sequence,
       updated_at = excluded.updated_at, client_contact = excluded.client_contact`,
    [
      s.bookingId,
      s.proId,
      s.clientId,
      s.clientTimeZone,
      s.clientLocale,
      s.serviceId,
      s.start,
      s.end,
      s.location && JSON.stringify(s.location),
      booking.status,
      s.sequence,
      updatedAt,
      s.clientContact ? JSON.stringify(s.clientContact) : null,
    ],
  );
}
