import { type PoolClient } from 'pg';
import { planReminders, reminderOffsets } from '../../domain/reminders/reminders';
import { findContact } from '../../infrastructure/contacts';
import { type BookingSnapshot } from '../../infrastructure/outbox/notification-content';
import {
  type CancelReason,
  type NotificationOutbox,
} from '../../infrastructure/outbox/notification-outbox';

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
  outbox: NotificationOutbox,
  booking: BookingSnapshot,
  bookedAt: number,
): Promise<void> {
  if (!booking.clientId) return;
  const client = await findContact(tx, 'client', booking.clientId);
  const offsets = reminderOffsets(
    client?.reminderOffsetsMinutes ?? null,
    await territoryOffsets(tx, booking.proId),
  );
  const planned = planReminders(Date.parse(booking.start), bookedAt, offsets, ['email', 'sms']);
  for (const reminder of planned) {
    await outbox.schedule(tx, {
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
  outbox: NotificationOutbox,
  bookingId: string,
  reason: CancelReason,
): Promise<number> => outbox.cancelOpen(tx, bookingId, ['reminder'], reason);
