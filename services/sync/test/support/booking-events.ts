import { randomUUID } from 'node:crypto';
import { eventRegistry } from '@cs/contracts';
import type { TestContext } from '@cs/testing';

/** Where and when a booking is, as booking events carry it. */
export interface BookedSlot {
  proId: string;
  serviceId: string;
  start: string;
  end: string;
}

/** `booking.confirmed` for a slot: 15 minutes after it, client c-1 in Amsterdam, unless told. */
export const bookingConfirmed = (bookingId: string, slot: BookedSlot, overrides: object = {}) => ({
  bookingId,
  ...slot,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  client: { clientId: 'c-1', timeZone: 'Europe/Amsterdam', locale: 'nl' },
  location: null,
  priority: 'normal',
  override: null,
  ...overrides,
});

/** `booking.rescheduled` from the booked slot to other times. */
export const bookingRescheduled = (
  bookingId: string,
  from: BookedSlot,
  to: { start: string; end: string },
) => ({ bookingId, ...from, ...to, previous: from });

/** A booking event on the bus as the booking service publishes it: version `version` of its stream. */
export async function publishBooking(
  ctx: TestContext,
  type: string,
  data: { bookingId: string; proId: string } & Record<string, unknown>,
  version: number,
): Promise<void> {
  const envelope = {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: `booking-${data.bookingId}`,
    streamVersion: version,
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    correlationId: `corr-${data.bookingId}`,
    causationId: null,
    actor: { kind: 'service', id: 'booking' },
    data: eventRegistry.validateData(type, data),
  };
  await ctx.js.publish(ctx.naming.subject('booking', type, data.proId), JSON.stringify(envelope), {
    msgID: envelope.id,
  });
}
