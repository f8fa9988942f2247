import {
  type EventData,
  type proSettingsReplaced,
  type territorySettingsReplaced,
} from '@cs/contracts';
import { type ConsumerDefinition } from '@cs/eventing';

/** Keeps which territory each Pro works in and each territory's reminder offsets. */
export const reminderDefaultsConsumer: ConsumerDefinition = {
  name: 'notification-reminder-defaults',
  stream: 'availability',
  async handleEvent({ envelope }, tx) {
    if (envelope.type === 'pro.settings_replaced') {
      const data = envelope.data as EventData<typeof proSettingsReplaced>;
      await tx.query(
        `INSERT INTO pro_territories (pro_id, territory_id) VALUES ($1, $2)
         ON CONFLICT (pro_id) DO UPDATE SET territory_id = excluded.territory_id`,
        [data.proId, data.settings.territoryId],
      );
    } else if (envelope.type === 'territory.settings_replaced') {
      const data = envelope.data as EventData<typeof territorySettingsReplaced>;
      await tx.query(
        `INSERT INTO territory_reminders (territory_id, offsets_minutes) VALUES ($1, $2)
         ON CONFLICT (territory_id) DO UPDATE SET offsets_minutes = excluded.offsets_minutes`,
        [data.territoryId, data.settings.defaults.reminderOffsetsMinutes],
      );
    }
  },
};
