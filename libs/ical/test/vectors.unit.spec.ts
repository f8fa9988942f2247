import { describe, expect, it } from '@jest/globals';
import {
  UTC,
  expandRecurrence,
  ianaZone,
  instantToLocal,
  localToInstant,
  parseRecurrenceRule,
  ruleStarts,
} from '../src';
import {
  type RecurrenceVector,
  isAllDay,
  untilWall,
  vectorFiles,
  vectorWindow,
  wallMs,
  wallText,
} from './vectors/vector-file';

/** Sources that omit an unsynchronized DTSTART match the engine itself, UNTIL on the wall clock. */
function engineStarts(vector: RecurrenceVector): string[] {
  const allDay = isAllDay(vector);
  const until = untilWall(vector.rrule, allDay);
  return ruleStarts(parseRecurrenceRule(vector.rrule), wallMs(vector.dtstart), {
    allDay,
    ...vectorWindow(vector),
  })
    .filter((start) => start <= until)
    .map((start) => wallText(start, allDay));
}

/** Sources that count DTSTART match RFC 5545's series, expanded in the vector's zone. */
function seriesStarts(vector: RecurrenceVector): string[] {
  const zone = vector.tzid ? ianaZone(vector.tzid) : UTC;
  if (!zone) throw new Error(`vector zone ${vector.tzid} unknown`);
  const allDay = isAllDay(vector);
  const { fromLocal, toLocal } = vectorWindow(vector);
  return expandRecurrence(
    {
      startLocal: wallMs(vector.dtstart),
      zone,
      allDay,
      duration: { days: 0, ms: 0 },
      rule: parseRecurrenceRule(vector.rrule),
      rdates: [],
      exdates: [],
    },
    { start: localToInstant(zone, fromLocal), end: localToInstant(zone, toLocal) + 1 },
  ).map((o) => wallText(instantToLocal(zone, o.start), allDay));
}

describe.each(vectorFiles())('recurrence vectors from $name', ({ vectors }) => {
  const run = vectors.filter((vector) => vector.skip === undefined);
  it.each(run.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const starts = vector.dtstartCounted ? seriesStarts(vector) : engineStarts(vector);
    expect(starts).toEqual(vector.expected);
  });
});
