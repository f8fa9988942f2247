import { type EventData, type syncConflictRecorded } from '@cs/contracts';
import { type PoolClient } from 'pg';
import { type BookingSnapshot } from '../../infrastructure/delivery-queue/notification-content';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';

/**
 * The Pro moved or deleted a booking in their own calendar and sync put the platform's version
 * back: the Pro hears so once per recorded conflict, with a link to keep their change instead.
 */
export async function scheduleChangedOutsideAlert(
  tx: PoolClient,
  queue: DeliveryQueue,
  booking: BookingSnapshot,
  conflict: EventData<typeof syncConflictRecorded>,
  now: Date,
): Promise<void> {
  await queue.schedule(tx, {
    dedupeKey: `alert:changed-outside:${conflict.conflictId}`,
    kind: 'alert',
    channel: 'email',
    bookingId: conflict.bookingId,
    proId: conflict.proId,
    recipient: { kind: 'pro', id: conflict.proId },
    scheduledFor: now,
    content: {
      template: 'changed_outside',
      booking,
      conflictId: conflict.conflictId,
      change: conflict.kind,
    },
  });
}
