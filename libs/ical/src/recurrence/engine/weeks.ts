import { civilDate, dayNumber, weekdayIndex } from '../../time/civil';

/** First day (day number) of the week that holds `day`, weeks starting on `wkst` (0 = Monday). */
export function weekStart(day: number, wkst: number): number {
  return day - ((weekdayIndex(day) - wkst + 7) % 7);
}

/**
 * Week 1 of a year is the first week with at least four of its days in that year (ISO 8601,
 * RFC 5545 §3.3.10 BYWEEKNO), so it is the week that holds 4 January.
 */
function firstWeekStart(year: number, wkst: number): number {
  return weekStart(dayNumber(year, 1, 4), wkst);
}

export interface WeekNumber {
  /** 1-based number of the week in its week-numbering year. */
  readonly week: number;
  /** The same week counted from the end of that year: -1 is its last week. */
  readonly fromEnd: number;
}

export function weekNumber(day: number, wkst: number): WeekNumber {
  const start = weekStart(day, wkst);
  // A week belongs to the year that holds its fourth day.
  const year = civilDate(start + 3).year;
  const first = firstWeekStart(year, wkst);
  const weeks = (firstWeekStart(year + 1, wkst) - first) / 7;
  const week = (start - first) / 7 + 1;
  return { week, fromEnd: week - weeks - 1 };
}
