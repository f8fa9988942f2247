import { type ExternalEvent, type TerritoryRules } from '@cs/scheduling';
import { type PoolClient } from 'pg';
import { type ScheduleInputs } from '../domain/pro-schedule/placement';

/** The inputs as the read model keeps them: the home sealed, the bookings' places not yet known. */
export type RecordedInputs = Omit<ScheduleInputs, 'settings' | 'places'> & {
  settings: StoredProSettings;
};
import {
  type StoredExternalEvent,
  type StoredProSettings,
  scheduleInputTables as t,
} from './schedule-inputs.projection';

const DAY = 24 * 60 * 60_000;

interface Row {
  settings: StoredProSettings;
  territory: TerritoryRules | null;
  absences: Array<{ start: string; end: string }>;
  external: StoredExternalEvent[];
}

export function externalEvent({ proId: _, ...event }: StoredExternalEvent): ExternalEvent {
  return event;
}

/**
 * A Pro's settings, territory, absences and external events in the days around `start`, in one
 * round trip; undefined when the availability stream has not told us about the Pro.
 */
export async function loadScheduleInputs(
  tx: PoolClient,
  proId: string,
  start: number,
): Promise<RecordedInputs | undefined> {
  const from = new Date(start - 3 * DAY).toISOString();
  const to = new Date(start + 9 * DAY).toISOString();
  const { rows } = await tx.query<Row>(
    `SELECT p.settings,
       (SELECT settings FROM ${t.territories} WHERE territory_id = p.settings->>'territoryId') AS territory,
       (SELECT coalesce(json_agg(json_build_object('start', start_at, 'end', end_at)), '[]')
          FROM ${t.absences} WHERE pro_id = $1 AND end_at > $2 AND start_at < $3) AS absences,
       (SELECT coalesce(json_agg(event), '[]')
          FROM ${t.externalEvents} WHERE pro_id = $1 AND (series OR (end_at > $2 AND start_at < $3))) AS external
     FROM ${t.pros} p WHERE p.pro_id = $1`,
    [proId, from, to],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    settings: row.settings,
    territory: row.territory,
    absences: row.absences.map((a) => ({ start: Date.parse(a.start), end: Date.parse(a.end) })),
    externalEvents: row.external.map(externalEvent),
    calendars: [],
  };
}
