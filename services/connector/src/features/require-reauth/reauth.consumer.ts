import type { calendarSyncStateChanged, EventData } from '@cs/contracts';
import type { ConsumerDefinition, EventStore } from '@cs/eventing';
import { connectionStreamId } from '../connect-calendar/connect-calendar.handler';

/**
 * Sync counts the auth failures; the connector owns the connection, so it turns the first
 * `reauth_required` of an episode into `connection.reauth_required` and marks the connection,
 * and a calendar that syncs again ends the episode.
 */
export const reauthConsumer = (store: () => EventStore): ConsumerDefinition => ({
  name: 'connector-reauth',
  stream: 'sync',
  async handleEvent({ envelope }, tx) {
    if (envelope.type !== 'calendar.sync_state_changed') return;
    const data = envelope.data as EventData<typeof calendarSyncStateChanged>;
    if (data.state === 'ok') {
      await tx.query(
        `UPDATE connections SET status = 'active' WHERE connection_id = $1 AND status = 'reauth_required'`,
        [data.connectionId],
      );
      return;
    }
    if (data.state !== 'reauth_required') return;
    const { rowCount } = await tx.query(
      `UPDATE connections SET status = 'reauth_required'
        WHERE connection_id = $1 AND status = 'active' AND removed_at IS NULL`,
      [data.connectionId],
    );
    if (rowCount === 0) return;
    await store().appendWith(
      tx,
      connectionStreamId(data.connectionId),
      [
        {
          type: 'connection.reauth_required',
          data: {
            connectionId: data.connectionId,
            proId: data.proId,
            reason: (data.lastError ?? 'the calendar provider refused the credentials').slice(
              0,
              500,
            ),
          },
        },
      ],
      { expectedVersion: 'any' },
    );
  },
});
