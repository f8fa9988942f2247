import {
  type EventData,
  type calendarEventRemoved,
  type calendarEventUpserted,
  type proAbsenceAdded,
  type proAbsenceRemoved,
  type proSettingsReplaced,
  type recordedProSettings,
  type territorySettingsReplaced,
} from '@cs/contracts';
import { defineProjection } from '@cs/eventing';
import { roughSpan } from '@cs/scheduling';
import { type z } from 'zod';

/** As recorded: the Pro's home stays sealed here and is opened per command (docs/adr/0008). */
export type StoredProSettings = z.infer<typeof recordedProSettings>;
export type StoredExternalEvent = EventData<typeof calendarEventUpserted>;

/**
 * What booking needs to know from the availability and sync streams to decide on its own:
 * each Pro's settings and absences, the territories and the Pros' external calendar events.
 */
export const scheduleInputsProjection = defineProjection({
  name: 'schedule_inputs',
  // 2: external events carry wall-clock times for the Pro's zone (calendar.event_upserted v2).
  version: 2,
  streams: ['availability', 'sync'],
  tables: {
    pros: (t) => `CREATE TABLE ${t} (pro_id text PRIMARY KEY, settings jsonb NOT NULL)`,
    territories: (t) =>
      `CREATE TABLE ${t} (territory_id text PRIMARY KEY, settings jsonb NOT NULL)`,
    absences: (t) => `CREATE TABLE ${t} (
      pro_id text NOT NULL,
      absence_id text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      PRIMARY KEY (pro_id, absence_id)
    )`,
    external_events: (t) => `CREATE TABLE ${t} (
      pro_id text NOT NULL,
      calendar_id text NOT NULL,
      event_uid text NOT NULL,
      recurrence_key text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      series boolean NOT NULL,
      event jsonb NOT NULL,
      PRIMARY KEY (pro_id, calendar_id, event_uid, recurrence_key)
    )`,
  },
  async apply(events, tx, tables) {
    for (const { envelope } of events) {
      switch (envelope.type) {
        case 'pro.settings_replaced': {
          const data = envelope.data as EventData<typeof proSettingsReplaced>;
          await tx.query(
            `INSERT INTO ${tables.pros} (pro_id, settings) VALUES ($1, $2)
             ON CONFLICT (pro_id) DO UPDATE SET settings = excluded.settings`,
            [data.proId, JSON.stringify(data.settings)],
          );
          break;
        }
        case 'territory.settings_replaced': {
          const data = envelope.data as EventData<typeof territorySettingsReplaced>;
          await tx.query(
            `INSERT INTO ${tables.territories} (territory_id, settings) VALUES ($1, $2)
             ON CONFLICT (territory_id) DO UPDATE SET settings = excluded.settings`,
            [data.territoryId, JSON.stringify(data.settings)],
          );
          break;
        }
        case 'pro.absence_added': {
          const data = envelope.data as EventData<typeof proAbsenceAdded>;
          await tx.query(
            `INSERT INTO ${tables.absences} (pro_id, absence_id, start_at, end_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (pro_id, absence_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at`,
            [data.proId, data.absenceId, data.start, data.end],
          );
          break;
        }
        case 'pro.absence_removed': {
          const data = envelope.data as EventData<typeof proAbsenceRemoved>;
          await tx.query(`DELETE FROM ${tables.absences} WHERE pro_id = $1 AND absence_id = $2`, [
            data.proId,
            data.absenceId,
          ]);
          break;
        }
        case 'calendar.event_upserted': {
          const event = envelope.data as StoredExternalEvent;
          // Wall-clock times are placed in the Pro's zone when busy time is computed; this only finds them.
          const span = roughSpan(event.start, event.end);
          await tx.query(
            `INSERT INTO ${tables.external_events}
               (pro_id, calendar_id, event_uid, recurrence_key, start_at, end_at, series, event)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (pro_id, calendar_id, event_uid, recurrence_key) DO UPDATE
               SET start_at = excluded.start_at, end_at = excluded.end_at,
                   series = excluded.series, event = excluded.event`,
            [
              event.proId,
              event.calendarId,
              event.eventUid,
              event.recurrenceId ?? '',
              new Date(span.start).toISOString(),
              new Date(span.end).toISOString(),
              (event.rrule !== null || event.rdates.length > 0) && event.recurrenceId === null,
              JSON.stringify(event),
            ],
          );
          break;
        }
        case 'calendar.event_removed': {
          const data = envelope.data as EventData<typeof calendarEventRemoved>;
          // Without a recurrence id the whole event goes, a series with its overrides.
          await tx.query(
            `DELETE FROM ${tables.external_events}
              WHERE pro_id = $1 AND calendar_id = $2 AND event_uid = $3
                AND ($4::text IS NULL OR recurrence_key = $4)`,
            [data.proId, data.calendarId, data.eventUid, data.recurrenceId],
          );
          break;
        }
      }
    }
  },
});

export const scheduleInputTables = {
  pros: `proj_${scheduleInputsProjection.name}_pros`,
  territories: `proj_${scheduleInputsProjection.name}_territories`,
  absences: `proj_${scheduleInputsProjection.name}_absences`,
  externalEvents: `proj_${scheduleInputsProjection.name}_external_events`,
};
