import { ianaZone, localToInstant } from '@cs/ical';
import {
  type RecurrenceVector,
  isAllDay,
  untilWall,
  vectorWindow,
  wallMs,
  wallText,
} from '../../libs/ical/test/vectors/vector-file';
import { type Engine } from './engines';

/**
 * Runs one vector the same way for every engine: the engine yields the rule's starts, and
 * UNTIL (on instants when the vector has a zone), the window and a counted DTSTART are
 * applied here, so only the recurrence arithmetic is compared.
 */
export function expandVector(engine: Engine, vector: RecurrenceVector): string[] {
  const allDay = isAllDay(vector);
  const { fromLocal, toLocal } = vectorWindow(vector);
  const zone = vector.tzid ? ianaZone(vector.tzid) : null;
  const untilText = /UNTIL=([0-9TZ]+)/i.exec(vector.rrule)?.[1];
  const instantUntil = zone && untilText?.endsWith('Z') ? wallMs(untilText) : null;
  const admits = (start: number) =>
    zone && instantUntil !== null
      ? localToInstant(zone, start) <= instantUntil
      : start <= untilWall(vector.rrule, allDay);
  const rrule = vector.rrule.replace(/;?UNTIL=[0-9TZ]+/i, '').replace(/^;/, '');
  const dtstart = wallMs(vector.dtstart);
  const starts = engine
    .starts({ rrule, dtstart: vector.dtstart, allDay, fromLocal, toLocal })
    .filter(admits);
  if (vector.dtstartCounted && starts[0] !== dtstart && dtstart >= fromLocal && dtstart <= toLocal)
    starts.unshift(dtstart);
  return starts.map((start) => wallText(start, allDay));
}
