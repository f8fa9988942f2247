import type { SyncCause } from '@cs/contracts';
import type { Pool, PoolClient } from 'pg';
import type { SyncState } from '../domain/sync-state/sync-health';

export interface CalendarRow {
  calendarId: string;
  connectionId: string;
  proId: string;
  /** As the provider names it (the connector's `connection.calendars_changed`). */
  name: string;
  provider: string;
  paused: boolean;
  state: SyncState;
  failures: number;
  authFailures: number;
  cursor: string | null;
  fullRequested: boolean;
  requestedCause: SyncCause | null;
  lastSyncedAt: Date | null;
  lastError: string | null;
  revision: number;
}

const columns = `c.calendar_id AS "calendarId", c.connection_id AS "connectionId", c.pro_id AS "proId",
  c.name, k.provider, k.paused, c.state, c.failures, c.auth_failures AS "authFailures", c.cursor,
  c.full_requested AS "fullRequested", c.requested_cause AS "requestedCause", c.last_synced_at AS "lastSyncedAt", c.last_error AS "lastError", c.revision`;

export async function liveCalendar(
  db: Pool | PoolClient,
  calendarId: string,
  lock = false,
): Promise<CalendarRow | null> {
  const { rows } = await db.query<CalendarRow>(
    `SELECT ${columns} FROM sync_calendars c JOIN sync_connections k USING (connection_id)
      WHERE c.calendar_id = $1 AND NOT c.removed AND NOT k.removed ${lock ? 'FOR UPDATE OF c' : ''}`,
    [calendarId],
  );
  return rows[0] ?? null;
}

export async function calendarsOfConnection(
  db: Pool | PoolClient,
  connectionId: string,
): Promise<CalendarRow[]> {
  const { rows } = await db.query<CalendarRow>(
    `SELECT ${columns} FROM sync_calendars c JOIN sync_connections k USING (connection_id)
      WHERE c.connection_id = ANY($1) AND NOT c.removed ORDER BY c.calendar_id`,
    [[connectionId]],
  );
  return rows;
}

export async function calendarsOfConnections(
  db: Pool | PoolClient,
  connectionIds: string[],
): Promise<CalendarRow[]> {
  const { rows } = await db.query<CalendarRow>(
    `SELECT ${columns} FROM sync_calendars c JOIN sync_connections k USING (connection_id)
      WHERE c.connection_id = ANY($1) AND NOT c.removed ORDER BY c.calendar_id`,
    [connectionIds],
  );
  return rows;
}

/** Every calendar of a Pro's live connections, by name. */
export async function calendarsOfPro(db: Pool | PoolClient, proId: string): Promise<CalendarRow[]> {
  const { rows } = await db.query<CalendarRow>(
    `SELECT ${columns} FROM sync_calendars c JOIN sync_connections k USING (connection_id)
      WHERE c.pro_id = $1 AND NOT c.removed AND NOT k.removed ORDER BY c.name, c.calendar_id`,
    [proId],
  );
  return rows;
}

/**
 * Makes calendars due now, remembering why for the run's audit event; a full resync asked for
 * is never downgraded by a later delta request. Returns how many calendars were marked.
 */
export async function requestSync(
  db: Pool | PoolClient,
  target: { calendarId: string } | { connectionId: string },
  request: { cause: SyncCause; full?: boolean },
): Promise<number> {
  const [column, value] =
    'calendarId' in target
      ? ['calendar_id', target.calendarId]
      : ['connection_id', target.connectionId];
  const { rowCount } = await db.query(
    `UPDATE sync_calendars SET next_sync_at = now(), full_requested = full_requested OR $2,
       requested_cause = $3, state = CASE WHEN state = 'disabled' AND $3 = 'manual' THEN 'ok' ELSE state END
     WHERE ${column} = $1 AND NOT removed
       -- Only a person wakes a calendar that waits for sign-in or was switched off.
       AND ($3 = 'manual' OR state NOT IN ('reauth_required', 'disabled'))`,
    [value, request.full ?? false, request.cause],
  );
  return rowCount ?? 0;
}
