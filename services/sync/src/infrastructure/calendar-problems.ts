import type { Pool } from 'pg';
import type { ProblemSummary } from '../domain/inbound/problems';

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
