import type { calendarSyncStateChanged, EventData } from '@cs/contracts';
import type { ConsumerDefinition, EventStore } from '@cs/eventing';
import { ConnectionCommands } from '../../infrastructure/connections/connection-commands';
import {
  markReauthorized,
  markReauthRequired,
} from '../../infrastructure/connections/reauth-status';

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
      await markReauthorized(tx, data.connectionId);
      return;
    }
    if (data.state !== 'reauth_required') return;
    if (!(await markReauthRequired(tx, data.connectionId))) return;
    await new ConnectionCommands(store()).handleWith(tx, data.connectionId, {
      type: 'require_reauth',
      reason: (data.lastError ?? 'the calendar provider refused the credentials').slice(0, 500),
    });
  },
});
