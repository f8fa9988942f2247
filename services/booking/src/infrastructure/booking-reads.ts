import { type Pool, type PoolClient } from 'pg';
import { type BookingDetails } from './booking-details';

export interface BookingRow {
  booking_id: string;
  status: string;
  pro_ids: string[];
  client_id: string;
  service_id: string;
  start_at: Date;
  end_at: Date;
  hold_expires_at: Date | null;
  priority: string;
  series_id: string | null;
  package_id: string | null;
  details: Partial<BookingDetails> & { conflicts?: unknown[]; clientReachable?: boolean };
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A booking as the API shows it. */
export function bookingView(row: BookingRow) {
  return {
    bookingId: row.booking_id,
    status: row.status,
    proIds: row.pro_ids,
    serviceId: row.service_id,
    start: row.start_at.toISOString(),
    end: row.end_at.toISOString(),
    version: row.version,
    ...(row.hold_expires_at ? { holdExpiresAt: row.hold_expires_at.toISOString() } : {}),
    priority: row.priority,
    client: row.details.client ?? { clientId: row.client_id },
    location: row.details.location ?? null,
    flexibility: row.details.flexibility ?? { allowAutoReschedule: false, window: null },
    override: row.details.override ?? null,
    seriesId: row.series_id,
    packageId: row.package_id,
    conflicts: row.details.conflicts ?? [],
    /** null until the notification service has tried to reach the client. */
    clientReachable: row.details.clientReachable ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export type BookingView = ReturnType<typeof bookingView>;

export async function findBooking(
  db: Pool | PoolClient,
  bookingId: string,
): Promise<BookingRow | undefined> {
  const { rows } = await db.query<BookingRow>('SELECT * FROM bookings WHERE booking_id = $1', [
    bookingId,
  ]);
  return rows[0];
}
