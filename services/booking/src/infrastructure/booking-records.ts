import {
  type Envelope,
  type EventData,
  type bookingConflictDetected,
  type bookingHeld,
  type bookingRescheduled,
} from '@cs/contracts';
import { type PoolClient } from 'pg';
import { type BookingDetails } from './booking-details';
import { type BookingRow } from './booking-reads';

type Held = EventData<typeof bookingHeld>;

const minutes = (n: number) => `${n} minutes`;

/** Half of each buffer, so that bookings keeping the gap rule never overlap (see the migration). */
async function reserve(
  tx: PoolClient,
  bookingId: string,
  proId: string,
  slot: { start: string; end: string; bufferBeforeMinutes: number; bufferAfterMinutes: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO booking_slots (booking_id, pro_id, reserved)
     VALUES ($1, $2, tstzrange($3::timestamptz - $5::interval, $4::timestamptz + $6::interval))
     ON CONFLICT (booking_id, pro_id) DO UPDATE SET reserved = excluded.reserved`,
    [
      bookingId,
      proId,
      slot.start,
      slot.end,
      minutes(slot.bufferBeforeMinutes / 2),
      minutes(slot.bufferAfterMinutes / 2),
    ],
  );
}

async function free(tx: PoolClient, bookingId: string, proId: string): Promise<void> {
  await tx.query('DELETE FROM booking_slots WHERE booking_id = $1 AND pro_id = $2', [
    bookingId,
    proId,
  ]);
}

/**
 * Keeps the bookings table and the reserved time in step with the events, in the transaction
 * that records them: a read right after a command sees it, and the exclusion constraint checks it.
 * Answers, per booking the events touched, its row when the events wrote it whole.
 */
export async function recordBookingEvents(
  tx: PoolClient,
  events: readonly Envelope[],
  details: ReadonlyMap<string, BookingDetails>,
  buffersOf: (
    proId: string,
    bookingId: string,
  ) => { bufferBeforeMinutes: number; bufferAfterMinutes: number } | undefined,
): Promise<Map<string, BookingRow | null>> {
  const written = new Map<string, BookingRow | null>();
  for (const event of events) {
    const at = event.recordedAt;
    // Rows are handed back only where this function wrote all of them; others are read again.
    written.set((event.data as { bookingId: string }).bookingId, null);
    switch (event.type) {
      case 'booking.held':
      case 'booking.confirmed': {
        const data = event.data as Held;
        const held = event.type === 'booking.held';
        // One round trip: the row and its reserved time (the exclusion constraint's check).
        const { rows } = await tx.query<BookingRow>(
          `WITH booking AS (
             INSERT INTO bookings (booking_id, status, pro_ids, client_id, service_id, start_at, end_at,
               hold_expires_at, priority, series_id, package_id, details, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)
             ON CONFLICT (booking_id) DO UPDATE SET status = excluded.status,
               hold_expires_at = excluded.hold_expires_at, updated_at = excluded.updated_at
             RETURNING *
           ), slot AS (
             INSERT INTO booking_slots (booking_id, pro_id, reserved)
             VALUES ($1, $14, tstzrange($6::timestamptz - $15::interval, $7::timestamptz + $16::interval))
             ON CONFLICT (booking_id, pro_id) DO UPDATE SET reserved = excluded.reserved
           )
           SELECT * FROM booking`,
          [
            data.bookingId,
            held ? 'held' : 'confirmed',
            data.proIds ?? [data.proId],
            data.client.clientId,
            data.serviceId,
            data.start,
            data.end,
            held ? data.holdExpiresAt : null,
            data.priority,
            data.seriesId ?? null,
            data.packageId ?? null,
            JSON.stringify(details.get(data.bookingId) ?? {}),
            at,
            data.proId,
            minutes(data.bufferBeforeMinutes / 2),
            minutes(data.bufferAfterMinutes / 2),
          ],
        );
        written.set(data.bookingId, rows[0]!);
        break;
      }
      case 'booking.rescheduled': {
        const data = event.data as EventData<typeof bookingRescheduled>;
        await tx.query(
          `UPDATE bookings SET start_at = $2, end_at = $3, service_id = $4,
             pro_ids = array_replace(pro_ids, $5, $6), updated_at = $7
           WHERE booking_id = $1`,
          [
            data.bookingId,
            data.start,
            data.end,
            data.serviceId,
            data.previous.proId,
            data.proId,
            at,
          ],
        );
        if (data.previous.proId !== data.proId) await free(tx, data.bookingId, data.previous.proId);
        const buffers = buffersOf(data.proId, data.bookingId);
        if (buffers) {
          await reserve(tx, data.bookingId, data.proId, {
            start: data.start,
            end: data.end,
            bufferBeforeMinutes: buffers.bufferBeforeMinutes,
            bufferAfterMinutes: buffers.bufferAfterMinutes,
          });
        }
        break;
      }
      case 'booking.cancelled':
      case 'booking.hold_expired': {
        const data = event.data as { bookingId: string; proId: string };
        await tx.query(
          `UPDATE bookings SET status = $2, hold_expires_at = NULL, updated_at = $3 WHERE booking_id = $1`,
          [data.bookingId, event.type === 'booking.cancelled' ? 'cancelled' : 'expired', at],
        );
        await free(tx, data.bookingId, data.proId);
        break;
      }
      case 'booking.conflict_detected': {
        const data = event.data as EventData<typeof bookingConflictDetected>;
        await tx.query(
          `UPDATE bookings SET details = jsonb_set(details, '{conflicts}',
             coalesce(details->'conflicts', '[]'::jsonb) || $2::jsonb), updated_at = $3
           WHERE booking_id = $1`,
          [data.bookingId, JSON.stringify([{ ...data, detectedAt: at }]), at],
        );
        break;
      }
    }
  }
  return written;
}
