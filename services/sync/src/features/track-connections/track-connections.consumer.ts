import type {
  connectionCalendarsChanged,
  connectionCreated,
  connectionRemoved,
  EventData,
} from '@cs/contracts';
import type { ConsumerDefinition, EventStore } from '@cs/eventing';
import type { PoolClient } from 'pg';
import { keyedInstance } from '../../domain/inbound/item-instances';
import { hostKey } from '../../domain/scheduling/host-key';
import { calendarStreamId } from '../../infrastructure/streams';

/** Removes a calendar's busy time: every instance it emitted is withdrawn, in one transaction. */
async function withdrawCalendar(
  tx: PoolClient,
  store: EventStore,
  calendarId: string,
  proId: string,
) {
  const { rows } = await tx.query<{ uid: string | null; instances: Record<string, string> }>(
    'DELETE FROM sync_items WHERE calendar_id = $1 RETURNING uid, instances',
    [calendarId],
  );
  const events = rows.flatMap((row) =>
    Object.keys(row.instances).map((key) => ({
      type: 'calendar.event_removed',
      data: { proId, calendarId, ...keyedInstance(key, row.uid!) },
    })),
  );
  await tx.query('UPDATE sync_calendars SET removed = true, cursor = NULL WHERE calendar_id = $1', [
    calendarId,
  ]);
  if (events.length > 0)
    await store.appendWith(tx, calendarStreamId(calendarId), events, { expectedVersion: 'any' });
}

/** Keeps the sync service's list of connections and calendars in step with the connector. */
export const trackConnectionsConsumer = (store: () => EventStore): ConsumerDefinition => ({
  name: 'sync-track-connections',
  stream: 'connector',
  async handleEvent({ envelope }, tx) {
    switch (envelope.type) {
      case 'connection.created': {
        const data = envelope.data as EventData<typeof connectionCreated>;
        await tx.query(
          `INSERT INTO sync_connections (connection_id, pro_id, provider, host) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [data.connectionId, data.proId, data.provider, hostKey(data)],
        );
        return;
      }
      case 'connection.calendars_changed': {
        const data = envelope.data as EventData<typeof connectionCalendarsChanged>;
        for (const c of data.calendars) {
          await tx.query(
            `INSERT INTO sync_calendars (calendar_id, connection_id, pro_id, name, busy_source, write_target, all_day_blocks, requested_cause)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'connected')
             ON CONFLICT (calendar_id) DO UPDATE SET name = excluded.name, busy_source = excluded.busy_source,
               write_target = excluded.write_target, all_day_blocks = excluded.all_day_blocks`,
            [
              c.calendarId,
              data.connectionId,
              data.proId,
              c.name,
              c.busySource,
              c.writeTarget,
              c.allDayBlocks,
            ],
          );
        }
        const { rows } = await tx.query<{ calendar_id: string }>(
          'SELECT calendar_id FROM sync_calendars WHERE connection_id = $1 AND NOT removed AND NOT (calendar_id = ANY($2))',
          [data.connectionId, data.calendars.map((c) => c.calendarId)],
        );
        for (const row of rows) await withdrawCalendar(tx, store(), row.calendar_id, data.proId);
        return;
      }
      case 'connection.removed': {
        const data = envelope.data as EventData<typeof connectionRemoved>;
        await tx.query('UPDATE sync_connections SET removed = true WHERE connection_id = $1', [
          data.connectionId,
        ]);
        const { rows } = await tx.query<{ calendar_id: string }>(
          'SELECT calendar_id FROM sync_calendars WHERE connection_id = $1 AND NOT removed',
          [data.connectionId],
        );
        for (const row of rows) await withdrawCalendar(tx, store(), row.calendar_id, data.proId);
        // Bookings mirrored there have nowhere to live now.
        await tx.query(
          'UPDATE sync_bookings SET calendar_id = NULL, connection_id = NULL, href = NULL, etag = NULL WHERE connection_id = $1',
          [data.connectionId],
        );
        return;
      }
      default:
        return;
    }
  },
});
