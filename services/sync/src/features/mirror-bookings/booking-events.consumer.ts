import type {
  bookingCancelled,
  bookingConfirmed,
  bookingRescheduled,
  EventData,
} from '@cs/contracts';
import { type ConsumerDefinition, currentContext, traceContextOf } from '@cs/eventing';
import type { PoolClient } from 'pg';
import { bookingUid } from '../../domain/outbound/booking-event';

/** Queues the write with the booking event it carries out (this consumer runs in its context). */
const enqueue = (tx: PoolClient, bookingId: string) => {
  const cause = currentContext();
  return tx.query(
    `INSERT INTO pending_writes (booking_id, cause) VALUES ($1, $2)
     ON CONFLICT (booking_id) DO UPDATE SET next_attempt_at = now(), attempts = 0,
             generation = pending_writes.generation + 1, cause = excluded.cause`,
    [
      bookingId,
      cause
        ? JSON.stringify({
            correlationId: cause.correlationId,
            causationId: cause.causationId,
            ...traceContextOf(),
          })
        : null,
    ],
  );
};

/** Records what each booking should look like in the Pro's calendar and queues the write. */
export const bookingEventsConsumer: ConsumerDefinition = {
  name: 'sync-mirror-bookings',
  stream: 'booking',
  async handleEvent({ envelope }, tx) {
    switch (envelope.type) {
      case 'booking.confirmed': {
        const data = envelope.data as EventData<typeof bookingConfirmed>;
        await tx.query(
          `INSERT INTO sync_bookings (booking_id, pro_id, uid, service_id, start_at, end_at, time_zone, sequence, active)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 0, true)
           ON CONFLICT (booking_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at, active = true,
             sequence = sync_bookings.sequence + 1`,
          [
            data.bookingId,
            data.proId,
            bookingUid(data.bookingId),
            data.serviceId,
            data.start,
            data.end,
            data.client.timeZone ?? 'UTC',
          ],
        );
        await enqueue(tx, data.bookingId);
        return;
      }
      case 'booking.rescheduled': {
        const data = envelope.data as EventData<typeof bookingRescheduled>;
        await tx.query(
          `UPDATE sync_bookings SET start_at = $2, end_at = $3, service_id = $4, sequence = sequence + 1 WHERE booking_id = $1`,
          [data.bookingId, data.start, data.end, data.serviceId],
        );
        await enqueue(tx, data.bookingId);
        return;
      }
      case 'booking.cancelled': {
        const data = envelope.data as EventData<typeof bookingCancelled>;
        const { rowCount } = await tx.query(
          'UPDATE sync_bookings SET active = false WHERE booking_id = $1',
          [data.bookingId],
        );
        if (rowCount) await enqueue(tx, data.bookingId);
        return;
      }
      default:
        return;
    }
  },
};
