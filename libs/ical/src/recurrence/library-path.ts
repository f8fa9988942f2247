import ICAL from 'ical.js';
import { RRule } from 'rrule';
import { IcalError } from '../errors';
import { MS_PER_DAY, civilDate } from '../time/civil';
import { jumpedStart } from './period-jump';
import { type RecurrenceRule } from './rule';

/** Beyond this many iterations the rule is treated as unexpandable rather than hang. */
const MAX_ITERATIONS = 2_000_000;

/**
 * Every other rule (COUNT, BYSETPOS, BYWEEKNO, ordinal BYDAY, YEARLY…) goes through ical.js,
 * run on floating wall-clock time so that DST is applied afterwards, in the event's own zone.
 * UNTIL is left out here and applied by the caller on instants, where it is defined.
 */
export function libraryStarts(
  rule: RecurrenceRule,
  startLocal: number,
  allDay: boolean,
  fromLocal: number,
  toLocal: number,
  jump = true,
): number[] {
  const begin = (jump && jumpedStart(rule, startLocal, fromLocal)) || startLocal;
  const starts =
    rule.byWeekNo.length > 0
      ? rruleStarts(rule, begin, fromLocal, toLocal)
      : icalStarts(rule, begin, allDay, fromLocal, toLocal);
  return withDtstart(starts, startLocal, fromLocal, toLocal);
}

function withoutUntil(rule: RecurrenceRule): string {
  return rule.text.replace(/(^|;)UNTIL=[^;]*/, '');
}

/**
 * ical.js 2.2 gets BYWEEKNO wrong (RFC 5545's "Monday of week 20" yields every week from
 * the 20th on), so those rules go to `rrule`, on UTC dates that stand for wall-clock time.
 */
function rruleStarts(
  rule: RecurrenceRule,
  startLocal: number,
  fromLocal: number,
  toLocal: number,
): number[] {
  const options = RRule.parseString(withoutUntil(rule));
  const starts = new RRule({ ...options, dtstart: new Date(startLocal) })
    .between(new Date(fromLocal), new Date(toLocal), true)
    .map((date) => date.getTime());
  return starts;
}

/** Both libraries leave out a DTSTART that does not match the rule; RFC 5545 §3.8.5.3 counts it. */
function withDtstart(
  starts: number[],
  startLocal: number,
  fromLocal: number,
  toLocal: number,
): number[] {
  if (startLocal >= fromLocal && startLocal <= toLocal && starts[0] !== startLocal)
    starts.unshift(startLocal);
  return starts;
}

function icalStarts(
  rule: RecurrenceRule,
  startLocal: number,
  allDay: boolean,
  fromLocal: number,
  toLocal: number,
): number[] {
  const recur = ICAL.Recur.fromString(withoutUntil(rule));
  const day = Math.floor(startLocal / MS_PER_DAY);
  const { year, month, day: date } = civilDate(day);
  const seconds = Math.round((startLocal - day * MS_PER_DAY) / 1_000);
  const dtstart = ICAL.Time.fromData({
    year,
    month,
    day: date,
    hour: Math.floor(seconds / 3_600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    isDate: allDay,
  });
  const iterator = recur.iterator(dtstart);
  const starts: number[] = [];
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const next = iterator.next();
    if (!next) return starts;
    const local = Date.UTC(
      next.year,
      next.month - 1,
      next.day,
      next.hour,
      next.minute,
      next.second,
    );
    if (local > toLocal) return starts;
    if (local >= fromLocal) starts.push(local);
  }
  throw new IcalError(
    'invalid-rrule',
    `rule did not reach the window within ${MAX_ITERATIONS} steps`,
    null,
    'RRULE',
  );
}
