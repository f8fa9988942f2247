import { defineProjection } from '@cs/eventing';
import { ChangeSet } from './read-model/availability-changes';
import { fromNowOn } from './read-model/change-spans';

/** The current settings of every territory, for reads and for the availability engine. */
export const territoriesProjection = defineProjection({
  name: 'territories',
  version: 1,
  streams: ['availability'],
  tables: {
    territories: (t) => `CREATE TABLE ${t} (
      territory_id text PRIMARY KEY,
      settings jsonb NOT NULL,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL
    )`,
  },
  async apply(events, tx, tables, context) {
    const changes = new ChangeSet();
    for (const { envelope } of events) {
      if (envelope.type !== 'territory.settings_replaced') continue;
      const data = envelope.data as { territoryId: string; settings: unknown };
      await tx.query(
        `INSERT INTO ${tables.territories} (territory_id, settings, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (territory_id) DO UPDATE SET settings = excluded.settings, version = excluded.version, updated_at = excluded.updated_at`,
        [
          data.territoryId,
          JSON.stringify(data.settings),
          envelope.streamVersion,
          envelope.recordedAt,
        ],
      );
      const span = fromNowOn(envelope.recordedAt);
      changes.addTerritory(data.territoryId, span.from, span.to);
    }
    await changes.record(tx, context.live);
  },
});
