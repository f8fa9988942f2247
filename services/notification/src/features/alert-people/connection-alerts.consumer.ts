import {
  type calendarSyncStateChanged,
  type connectionReauthRequired,
  type EventData,
  type syncConflictRecorded,
} from '@cs/contracts';
import { type Clock, type ConsumerDefinition } from '@cs/eventing';
import { type PoolClient } from 'pg';
import { loadBooking } from '../../infrastructure/bookings';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';
import { scheduleChangedOutsideAlert } from './changed-outside-alert';

/**
 * Opens an episode for a connection that needs re-authorisation; only the first report of an
 * episode (from the connector or from sync, whichever comes first) tells the Pro.
 */
async function openEpisode(tx: PoolClient, key: string): Promise<number | null> {
  const { rows } = await tx.query<{ episode: number }>(
    `INSERT INTO alert_episodes (alert_key, open, episode) VALUES ($1, true, 1)
     ON CONFLICT (alert_key) DO UPDATE SET open = true, episode = alert_episodes.episode + 1
       WHERE NOT alert_episodes.open
     RETURNING episode`,
    [key],
  );
  return rows[0]?.episode ?? null;
}

async function reauthRequired(
  tx: PoolClient,
  queue: DeliveryQueue,
  now: Date,
  alert: { proId: string; connectionId: string; reason: string },
): Promise<void> {
  const key = `reauth:${alert.connectionId}`;
  const episode = await openEpisode(tx, key);
  if (episode === null) return;
  await queue.schedule(tx, {
    dedupeKey: `alert:${key}:${episode}`,
    kind: 'alert',
    channel: 'email',
    bookingId: null,
    proId: alert.proId,
    recipient: { kind: 'pro', id: alert.proId },
    scheduledFor: now,
    content: {
      template: 'reauth_required',
      connectionId: alert.connectionId,
      reason: alert.reason,
    },
  });
}

export function connectorAlertsConsumer(queue: DeliveryQueue, clock: Clock): ConsumerDefinition {
  return {
    name: 'notification-connector-alerts',
    stream: 'connector',
    async handleEvent({ envelope }, tx) {
      if (envelope.type !== 'connection.reauth_required') return;
      const data = envelope.data as EventData<typeof connectionReauthRequired>;
      await reauthRequired(tx, queue, clock.now(), data);
    },
  };
}

export function syncAlertsConsumer(queue: DeliveryQueue, clock: Clock): ConsumerDefinition {
  return {
    name: 'notification-sync-alerts',
    stream: 'sync',
    async handleEvent({ envelope }, tx) {
      if (envelope.type === 'calendar.sync_conflict_recorded') {
        const data = envelope.data as EventData<typeof syncConflictRecorded>;
        const known = await loadBooking(tx, data.bookingId);
        if (known) await scheduleChangedOutsideAlert(tx, queue, known.snapshot, data, clock.now());
        return;
      }
      if (envelope.type !== 'calendar.sync_state_changed') return;
      const data = envelope.data as EventData<typeof calendarSyncStateChanged>;
      if (data.state === 'reauth_required') {
        await reauthRequired(tx, queue, clock.now(), {
          proId: data.proId,
          connectionId: data.connectionId,
          reason: data.lastError ?? 'the calendar provider refused our access',
        });
      } else if (data.state === 'ok') {
        await tx.query('UPDATE alert_episodes SET open = false WHERE alert_key = $1', [
          `reauth:${data.connectionId}`,
        ]);
      }
    },
  };
}
