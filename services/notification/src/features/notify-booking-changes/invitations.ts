import { type PoolClient } from 'pg';
import { type RecipientKind } from '../../domain/delivery/delivery';
import { type NotificationContent } from '../../infrastructure/delivery-queue/notification-content';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';

export type BookingMessage = Extract<
  NotificationContent,
  { template: 'invitation' | 'update' | 'cancellation' }
>;

/**
 * An email with the iTIP message for this SEQUENCE to each person in the booking; the client
 * and the Pro are recipients, whichever of them has a contact when it is sent.
 */
export async function scheduleInvitations(
  tx: PoolClient,
  queue: DeliveryQueue,
  content: BookingMessage,
  now: Date,
  recipients: ReadonlyArray<{ kind: RecipientKind; id: string }>,
): Promise<void> {
  const { booking } = content;
  for (const recipient of recipients) {
    await queue.schedule(tx, {
      dedupeKey: `${content.template}:${booking.bookingId}:${booking.sequence}:${recipient.kind}:${recipient.id}`,
      kind: content.template,
      channel: 'email',
      bookingId: booking.bookingId,
      proId: booking.proId,
      recipient,
      scheduledFor: now,
      content,
    });
  }
}

export const bothParties = (booking: { proId: string; clientId: string | null }) => [
  ...(booking.clientId ? [{ kind: 'client' as const, id: booking.clientId }] : []),
  { kind: 'pro' as const, id: booking.proId },
];
