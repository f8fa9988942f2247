import {
  type TimeZone,
  UTC,
  expandRecurrence,
  instantToLocal,
  parseRecurrenceRule,
  resolveZone,
} from '@cs/ical';

/** Graph's patternedRecurrence (https://learn.microsoft.com/en-us/graph/api/resources/patternedrecurrence). */
export interface PatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly';
    interval: number;
    daysOfWeek?: string[];
    dayOfMonth?: number;
    firstDayOfWeek?: string;
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
    recurrenceTimeZone?: string;
  };
}

const DAYS: Record<string, string> = {
  sunday: 'SU',
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
};

/** A zone named the Windows way (`W. Europe Standard Time`) or the IANA way. */
export function zoneNamed(name: string | undefined): TimeZone | null {
  if (!name || name === 'UTC' || name === 'Etc/GMT') return UTC;
  return resolveZone(name);
}

export function toRrule(recurrence: PatternedRecurrence): string {
  const { pattern, range } = recurrence;
  const parts = [
    `FREQ=${{ daily: 'DAILY', weekly: 'WEEKLY', absoluteMonthly: 'MONTHLY' }[pattern.type]}`,
  ];
  parts.push(`INTERVAL=${pattern.interval || 1}`);
  if (pattern.type === 'weekly')
    parts.push(`BYDAY=${(pattern.daysOfWeek ?? []).map((d) => DAYS[d.toLowerCase()]).join(',')}`);
  if (pattern.type === 'absoluteMonthly' && pattern.dayOfMonth)
    parts.push(`BYMONTHDAY=${pattern.dayOfMonth}`);
  if (range.type === 'numbered') parts.push(`COUNT=${range.numberOfOccurrences}`);
  if (range.type === 'endDate' && range.endDate)
    parts.push(`UNTIL=${range.endDate.replace(/-/g, '')}`);
  return parts.join(';');
}

export interface SeriesInstant {
  start: number;
  end: number;
  originalStart: number;
}

/**
 * Occurrences of a series master in a window: wall-clock times in the master's zone (all-day
 * series float on UTC midnights, as their local dates).
 */
export function occurrencesOf(
  recurrence: PatternedRecurrence,
  start: number,
  end: number,
  zone: TimeZone,
  allDay: boolean,
  window: { start: number; end: number },
): SeriesInstant[] {
  const series = {
    startLocal: allDay ? start : instantToLocal(zone, start),
    zone: allDay ? UTC : zone,
    allDay,
    duration: allDay
      ? { days: Math.round((end - start) / 86_400_000), ms: 0 }
      : { days: 0, ms: end - start },
    rule: parseRecurrenceRule(toRrule(recurrence)),
    rdates: [],
    exdates: [],
  };
  return expandRecurrence(series, window).map((o) => ({
    start: o.start,
    end: o.end,
    originalStart: o.recurrenceId,
  }));
}
