import {
  type EventData,
  type waitlistJoined,
  type waitlistOfferAccepted,
  type waitlistOfferExpired,
  type waitlistOfferMade,
} from '@cs/contracts';
import { type Clock, type ConsumerDefinition } from '@cs/eventing';
import { type PoolClient } from 'pg';
import { type Channel } from '../../domain/delivery/delivery';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';

const CHANNELS: readonly Channel[] = ['email', 'sms'];

/** One message per offer and channel, however often the offer is delivered. */
const dedupeKeyOf = (offerId: string, channel: Channel) => `waitlist-offer:${offerId}:${channel}`;

/**
 * Tells the waiting client about a freed slot offered to them, by email and by SMS when they
 * have a phone (the dispatcher drops a channel without an address), and withdraws the message
 * when the offer is settled before it went out.
 */
export function waitlistOffersConsumer(queue: DeliveryQueue, clock: Clock): ConsumerDefinition {
  async function offerMade(tx: PoolClient, data: EventData<typeof waitlistOfferMade>) {
    const { rows } = await tx.query<{ client_id: string }>(
      'SELECT client_id FROM waitlist_entries WHERE entry_id = $1',
      [data.entryId],
    );
    const clientId = rows[0]?.client_id;
    if (!clientId) return;
    for (const channel of CHANNELS) {
      await queue.schedule(tx, {
        dedupeKey: dedupeKeyOf(data.offerId, channel),
        kind: 'alert',
        channel,
        bookingId: null,
        proId: data.proId,
        recipient: { kind: 'client', id: clientId },
        scheduledFor: clock.now(),
        content: {
          template: 'waitlist_offer',
          offer: {
            entryId: data.entryId,
            offerId: data.offerId,
            proId: data.proId,
            serviceId: data.serviceId,
            start: data.start,
            end: data.end,
            expiresAt: data.expiresAt,
          },
        },
      });
    }
  }

  const settled = (tx: PoolClient, offerId: string, reason: 'offer_expired' | 'offer_accepted') =>
    queue.cancelOpenByKeys(
      tx,
      CHANNELS.map((channel) => dedupeKeyOf(offerId, channel)),
      reason,
    );

  return {
    name: 'notification-waitlist-offers',
    stream: 'booking',
    async handleEvent({ envelope }, tx) {
      switch (envelope.type) {
        case 'waitlist.joined': {
          const data = envelope.data as EventData<typeof waitlistJoined>;
          await tx.query(
            `INSERT INTO waitlist_entries (entry_id, client_id) VALUES ($1, $2)
             ON CONFLICT (entry_id) DO NOTHING`,
            [data.entryId, data.clientId],
          );
          return;
        }
        case 'waitlist.offer_made':
          return offerMade(tx, envelope.data as EventData<typeof waitlistOfferMade>);
        case 'waitlist.offer_expired': {
          const data = envelope.data as EventData<typeof waitlistOfferExpired>;
          await settled(tx, data.offerId, 'offer_expired');
          return;
        }
        case 'waitlist.offer_accepted': {
          const data = envelope.data as EventData<typeof waitlistOfferAccepted>;
          await settled(tx, data.offerId, 'offer_accepted');
          return;
        }
      }
    },
  };
}
