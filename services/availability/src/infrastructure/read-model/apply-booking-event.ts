import {
  placeOrNone,
  type EventData,
  type Envelope,
  type bookingCancelled,
  type bookingConfirmed,
  type bookingHeld,
  type bookingHoldExpired,
  type bookingRescheduled,
} from '@cs/contracts';
import type { ApplyContext, TableNames } from '@cs/eventing';
import type { PoolClient } from 'pg';
import type { ChangeSet } from './availability-changes';
import { around } from './change-spans';
import type { ScheduleTable } from './schedule-table';

type Held = EventData<typeof bookingHeld>;
type Confirmed = EventData<typeof bookingConfirmed>;

/**
 * `booking.*` events: the Pro's active bookings and holds, with buffers and the client's place
 * (opened here, so queries never touch a key; `person.erased` clears it again).
 */
export async function applyBookingEvent(
  envelope: Envelope,
  tx: PoolClient,
  tables: TableNames<ScheduleTable>,
  changes: ChangeSet,
  context: ApplyContext,
): Promise<void> {
  const touched = (proId: string, start: string | Date, end: string | Date) => {
    const span = around(new Date(start).getTime(), new Date(end).getTime());
    changes.add(proId, span.from, span.to);
  };
  const remove = async (bookingId: string) => {
    const { rows } = await tx.query<{ pro_id: string; start_at: Date; end_at: Date }>(
      `DELETE FROM ${tables.appointments} WHERE booking_id = $1 RETURNING pro_id, start_at, end_at`,
      [bookingId],
    );
    for (const row of rows) touched(row.pro_id, row.start_at, row.end_at);
  };
  switch (envelope.type) {
    case 'booking.held':
    case 'booking.confirmed': {
      const data = envelope.data as Held | Confirmed;
      const held = envelope.type === 'booking.held';
      const place = placeOrNone(await context.reveal(tx, data.location?.point));
      await remove(data.bookingId);
      await tx.query(
        `INSERT INTO ${tables.appointments} (booking_id, pro_id, kind, service_id, start_at, end_at,
           buffer_before_minutes, buffer_after_minutes, location, hold_expires_at, auto_reschedule,
           client_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          data.bookingId,
          data.proId,
          held ? 'hold' : 'booking',
          data.serviceId,
          data.start,
          data.end,
          data.bufferBeforeMinutes,
          data.bufferAfterMinutes,
          place && JSON.stringify(place),
          held ? (data as Held).holdExpiresAt : null,
          // Older events do not say; without the client's word the booking stays where it is.
          data.allowAutoReschedule ?? false,
          data.client.clientId,
        ],
      );
      touched(data.proId, data.start, data.end);
      return;
    }
    case 'booking.rescheduled': {
      const { bookingId, proId, serviceId, start, end, previous } = envelope.data as EventData<
        typeof bookingRescheduled
      >;
      await tx.query(
        `UPDATE ${tables.appointments} SET pro_id = $2, service_id = $3, start_at = $4, end_at = $5 WHERE booking_id = $1`,
        [bookingId, proId, serviceId, start, end],
      );
      touched(previous.proId, previous.start, previous.end);
      touched(proId, start, end);
      return;
    }
    case 'booking.cancelled':
    case 'booking.hold_expired': {
      const { bookingId } = envelope.data as EventData<
        typeof bookingCancelled | typeof bookingHoldExpired
      >;
      await remove(bookingId);
      return;
    }
    default:
      return;
  }
}
