import { type ConsumerDefinition } from '@cs/eventing';

const REACHED: Record<string, boolean> = {
  'notification.recipient_unreachable': false,
  'notification.sent': true,
};

/**
 * Whether the notification service could reach a booking's client, shown on the booking as
 * `clientReachable`: false once a message to the client found no address, true once one went out.
 * News about the Pro says nothing of the client.
 */
export const clientReachConsumer = (): ConsumerDefinition => ({
  name: 'booking-client-reach',
  stream: 'notification',
  async handleEvent({ envelope }, tx) {
    const reachable = REACHED[envelope.type];
    const data = envelope.data as { bookingId: string | null; recipientKind?: string };
    if (reachable === undefined || data.bookingId === null || data.recipientKind !== 'client')
      return;
    await tx.query(
      `UPDATE bookings SET details = jsonb_set(details, '{clientReachable}', to_jsonb($2::boolean))
        WHERE booking_id = $1`,
      [data.bookingId, reachable],
    );
  },
});
