import { type RecurrenceRule } from '../rule';

/** Hour, minute and second: each either the rule's BYxxx values or DTSTART's own. */
export interface TimeFields {
  readonly values: readonly [readonly number[], readonly number[], readonly number[]];
  /** Whether the rule itself gave each field (only then does it limit sub-daily periods). */
  readonly given: readonly [boolean, boolean, boolean];
}

/**
 * RFC 5545 §3.3.10: BYHOUR, BYMINUTE and BYSECOND cannot apply to a DATE start, so an all-day
 * series ignores them and keeps its time at midnight; a sub-daily FREQ on a DATE start then
 * yields only the periods that begin at midnight, since a date has no other time.
 */
export function timeFields(rule: RecurrenceRule, startSecond: number, allDay: boolean): TimeFields {
  const own = [Math.floor(startSecond / 3600), Math.floor(startSecond / 60) % 60, startSecond % 60];
  const parts = allDay ? [[0], [0], [0]] : [rule.byHour, rule.byMinute, rule.bySecond];
  // Second 60 (a leap second) has no place on a wall clock counted in plain seconds.
  const values = parts.map((part, i) =>
    part.length ? [...new Set(part)].filter((v) => v < 60).sort((a, b) => a - b) : [own[i] ?? 0],
  );
  return {
    values: [values[0] ?? [], values[1] ?? [], values[2] ?? []],
    given: [parts[0]?.length !== 0, parts[1]?.length !== 0, parts[2]?.length !== 0],
  };
}

/** Seconds of the day of every combination, ascending: the time set of one day. */
export function daySeconds(fields: TimeFields): number[] {
  const [hours, minutes, seconds] = fields.values;
  const result: number[] = [];
  for (const h of hours)
    for (const m of minutes) for (const s of seconds) result.push(h * 3600 + m * 60 + s);
  return result;
}
