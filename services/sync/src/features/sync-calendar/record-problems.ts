import type { NewEvent } from '@cs/eventing';
import type { PoolClient } from 'pg';
import { type EventProblem, sameProblems, summarizeProblems } from '../../domain/inbound/problems';
import type { CalendarRow } from '../../infrastructure/calendar-rows';

/**
 * After a run's item status is written: the calendar's problems are its items' (an unchanged
 * item keeps those of its last read, a gone one takes them along). Stored for the sync status;
 * an event when the set differs from the last one reported.
 */
export async function recordProblems(tx: PoolClient, calendar: CalendarRow): Promise<NewEvent[]> {
  const { calendarId, proId, connectionId } = calendar;
  const { rows: items } = await tx.query<{ problems: EventProblem[] }>(
    `SELECT problems FROM sync_items WHERE calendar_id = $1 AND problems <> '[]'::jsonb`,
    [calendarId],
  );
  const { rows } = await tx.query<{ problems: EventProblem[]; total: number }>(
    'SELECT problems, problem_count AS total FROM sync_calendars WHERE calendar_id = $1',
    [calendarId],
  );
  const next = summarizeProblems(items.map((i) => i.problems));
  if (rows[0] && sameProblems(rows[0], next)) return [];
  await tx.query(
    'UPDATE sync_calendars SET problems = $2, problem_count = $3 WHERE calendar_id = $1',
    [calendarId, JSON.stringify(next.problems), next.total],
  );
  return [
    {
      type: 'calendar.event_problems_changed',
      data: {
        proId,
        connectionId,
        calendarId,
        problems: next.problems,
        problemCount: next.total,
      },
    },
  ];
}
