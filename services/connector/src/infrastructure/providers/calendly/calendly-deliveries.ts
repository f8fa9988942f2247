import type { PoolClient } from 'pg';

/**
 * Records a Calendly delivery (calendar, invitee, event) the first time it arrives; false for a
 * redelivery, and for a booking whose cancellation arrived first. SQL: it shares the pg
 * transaction in which the webhook writes `feed_items` (`CalendlyItemStore`).
 */
export async function firstDelivery(
  tx: PoolClient,
  delivery: { calendarId: string; invitee: string; event: string; receivedAt: Date },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO calendly_deliveries (calendar_id, invitee, event, received_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [delivery.calendarId, delivery.invitee, delivery.event, delivery.receivedAt],
  );
  if (rowCount === 0) return false;
  if (delivery.event !== 'invitee.created') return true;
  const cancelled = await tx.query(
    `SELECT 1 FROM calendly_deliveries
      WHERE calendar_id = $1 AND invitee = $2 AND event = 'invitee.canceled'`,
    [delivery.calendarId, delivery.invitee],
  );
  return cancelled.rowCount === 0;
}
