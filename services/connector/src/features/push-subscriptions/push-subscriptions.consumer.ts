import type { connectionCalendarsChanged, connectionRemoved, EventData } from '@cs/contracts';
import type { ConsumerDefinition } from '@cs/eventing';
import type { Provider } from '../../domain/provider/provider';
import {
  forgetConnection,
  touchConnection,
} from '../../infrastructure/push-subscriptions/push-subscription-store';

/**
 * Follows the connector's own connection events so push follows the calendars: a connection
 * that gained calendars (connected, authorised) or changed a busy-source switch gets its rows
 * looked at by the manager; a removed one loses them (its channels were stopped by the DELETE).
 */
export const pushSubscriptionsConsumer = (
  pushProviders: () => readonly Provider[],
): ConsumerDefinition => ({
  name: 'connector-push-subscriptions',
  stream: 'connector',
  async handleEvent({ envelope }, tx) {
    switch (envelope.type) {
      case 'connection.calendars_changed': {
        const data = envelope.data as EventData<typeof connectionCalendarsChanged>;
        await touchConnection(tx, data.connectionId, pushProviders());
        return;
      }
      case 'connection.removed': {
        const data = envelope.data as EventData<typeof connectionRemoved>;
        await forgetConnection(tx, data.connectionId);
        return;
      }
      default:
        return;
    }
  },
});
