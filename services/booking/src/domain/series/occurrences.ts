import { RuleViolation } from '@cs/contracts';
import {
  IcalError,
  expandRecurrence,
  ianaZone,
  instantToLocal,
  parseRecurrenceRule,
} from '@cs/ical';

/** A series may not run longer than this or have more occurrences than `MAX_OCCURRENCES`. */
const HORIZON_MS = 366 * 24 * 60 * 60_000;
export const MAX_OCCURRENCES = 60;

/**
 * The starts of a recurring booking: `rrule` (RFC 5545) from `start` on the wall clock of
 * `timeZone`, so a weekly 09:00 stays at 09:00 across a DST change.
 */
export function occurrenceStarts(rrule: string, start: number, timeZone: string): number[] {
  const zone = ianaZone(timeZone);
  if (!zone) throw new RuleViolation([{ field: 'timeZone', message: `unknown zone ${timeZone}` }]);
  let rule;
  try {
    rule = parseRecurrenceRule(rrule);
  } catch (error) {
    if (!(error instanceof IcalError)) throw error;
    throw new RuleViolation([{ field: 'recurrence.rrule', message: error.message }]);
  }
  const occurrences = expandRecurrence(
    {
      startLocal: instantToLocal(zone, start),
      zone,
      allDay: false,
      duration: { days: 0, ms: 1 },
      rule,
      rdates: [],
      exdates: [],
    },
    { start, end: start + HORIZON_MS },
  );
  if (occurrences.length > MAX_OCCURRENCES) {
    throw new RuleViolation([
      { field: 'recurrence.rrule', message: `at most ${MAX_OCCURRENCES} occurrences` },
    ]);
  }
  return occurrences.map((o) => o.start);
}
