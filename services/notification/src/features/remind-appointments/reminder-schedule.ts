import { type PoolClient } from 'pg';
import { planReminders, reminderOffsets } from '../../domain/reminders/reminders';
import { type BookingSnapshot } from '../../infrastructure/delivery-queue/notification-content';
import {
  type CancelReason,
  type DeliveryQueue,
} from '../../infrastructure/delivery-queue/delivery-queue';

/** The consumer's transaction is a bare pg client (docs/adr/0011), so this reads with SQL. */
async function clientOffsets(tx: PoolClient, clientId: string): Promise<number[] | null> {
  const { rows } = await tx.query<{ reminder_offsets_minutes: number[] | null }>(
    `SELECT reminder_offsets_minutes FROM contacts WHERE kind = 'client' AND id = $1`,
    [clientId],
  );
  return rows[0]?.reminder_offsets_minutes ?? null;
}

async function territoryOffsets(tx: PoolClient, proId: string): Promise<number[] | null> {
  const { rows } = await tx.query<{ offsets_minutes: number[] | null }>(
    `SELECT t.offsets_minutes FROM pro_territories p
       JOIN territory_reminders t ON t.territory_id = p.territory_id WHERE p.pro_id = $1`,
    [proId],
  );
  return rows[0]?.offsets_minutes ?? null;
}

/**
 * Puts the client's reminders for this version of the booking on the durable schedule: the
 * client's own offsets, else the territory's, else 24 h and 2 h; by email and SMS.
 */
export async function scheduleReminders(
  tx: PoolClient,
  queue: DeliveryQueue,
  booking: BookingSnapshot,
  bookedAt: number,
): Promise<void> {
  if (!booking.clientId) return;
  const offsets = reminderOffsets(
    await clientOffsets(tx, booking.clientId),
    await territoryOffsets(tx, booking.proId),
  );
  const planned = planReminders(Date.parse(booking.start), bookedAt, offsets, ['email', 'sms']);
  for (const reminder of planned) {
    await queue.schedule(tx, {
      dedupeKey: `reminder:${booking.bookingId}:${booking.sequence}:${reminder.offsetMinutes}:${reminder.channel}`,
      kind: 'reminder',
      channel: reminder.channel,
      bookingId: booking.bookingId,
      proId: booking.proId,
      recipient: { kind: 'client', id: booking.clientId },
      scheduledFor: new Date(reminder.dueAt),
      content: { template: 'reminder', booking, offsetMinutes: reminder.offsetMinutes },
    });
  }
}

export const withdrawReminders = (
  tx: PoolClient,
  queue: DeliveryQueue,
  bookingId: string,
  reason: CancelReason,
): Promise<number> => queue.cancelOpen(tx, bookingId, ['reminder'], reason);
