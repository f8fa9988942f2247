import { type bookingConflictDetected, type EventData } from '@cs/contracts';
import { type PoolClient } from 'pg';
import { type BookingSnapshot } from '../../infrastructure/delivery-queue/notification-content';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';

/**
 * A clash the system could not solve on its own goes to the Pro, whose calendar holds the
 * other event; once per booking and clashing event, however often it is detected again.
 */
export async function scheduleConflictAlert(
  tx: PoolClient,
  queue: DeliveryQueue,
  booking: BookingSnapshot,
  conflict: EventData<typeof bookingConflictDetected>,
  now: Date,
): Promise<void> {
  await queue.schedule(tx, {
    dedupeKey: `alert:conflict:${conflict.bookingId}:${conflict.calendarId}:${conflict.eventUid}`,
    kind: 'alert',
    channel: 'email',
    bookingId: conflict.bookingId,
    proId: conflict.proId,
    recipient: { kind: 'pro', id: conflict.proId },
    scheduledFor: now,
    content: { template: 'conflict', booking, alternatives: conflict.alternatives.length },
  });
}
