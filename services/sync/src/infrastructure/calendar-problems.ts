import type { Pool } from 'pg';
import type { ProblemSummary } from '../domain/inbound/problems';
import type { CalendarRow } from './calendar-rows';

/** Each calendar's problems as its last sync run recorded them. */
export async function problemsOf(
  pool: Pool,
  calendarIds: string[],
): Promise<Map<string, ProblemSummary>> {
  const { rows } = await pool.query<ProblemSummary & { calendarId: string }>(
    `SELECT calendar_id AS "calendarId", problems, problem_count AS total
       FROM sync_calendars WHERE calendar_id = ANY($1)`,
    [calendarIds],
  );
  return new Map(rows.map((r) => [r.calendarId, r]));
}

/** One calendar's sync status as the HTTP route and the connector's request both give it. */
export function calendarStatus(calendar: CalendarRow, problems: Map<string, ProblemSummary>) {
  return {
    connectionId: calendar.connectionId,
    calendarId: calendar.calendarId,
    state: calendar.state,
    paused: calendar.paused,
    lastSyncedAt: calendar.lastSyncedAt?.toISOString() ?? null,
    lastError: calendar.lastError,
    problems: problems.get(calendar.calendarId)?.problems ?? [],
    problemCount: problems.get(calendar.calendarId)?.total ?? 0,
  };
}
