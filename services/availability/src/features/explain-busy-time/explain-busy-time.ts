import { MS_PER_DAY, localToInstant, parseIsoDate } from '@cs/ical';
import {
  type Interval,
  busyTime,
  overlap,
  publicHolidays,
  type TerritoryRules,
} from '@cs/scheduling';
import { ianaZone } from '@cs/ical';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';
import { availabilityQuery } from '../../infrastructure/read-model/engine-input';

export type BusyKind = 'external' | 'booking' | 'hold' | 'absence' | 'holiday';

export interface ExplainedInterval extends Interval {
  readonly kind: BusyKind;
  readonly calendarId?: string;
  readonly eventUid?: string;
  readonly recurrenceId?: number;
  readonly bookingId?: string;
  readonly absenceId?: string;
  readonly date?: string;
}

/** Local days the Pro does not work because of a public holiday (no override, no opt-in). */
function holidayDays(
  schedule: ProSchedule,
  territory: TerritoryRules,
  range: Interval,
): ExplainedInterval[] {
  const zone = ianaZone(schedule.settings.timeZone);
  if (!zone || schedule.settings.worksOnHolidays) return [];
  const overridden = new Set(schedule.settings.dateOverrides.map((o) => o.date));
  const years = [
    new Date(range.start).getUTCFullYear() - 1,
    new Date(range.end).getUTCFullYear() + 1,
  ] as const;
  return [...publicHolidays(territory.holidayRegion, ...years)]
    .filter((date) => !overridden.has(date))
    .map((date) => {
      const day = parseIsoDate(date) as number;
      return {
        kind: 'holiday' as const,
        date,
        start: localToInstant(zone, day * MS_PER_DAY),
        end: localToInstant(zone, (day + 1) * MS_PER_DAY),
      };
    })
    .filter((h) => overlap(h, range));
}

/**
 * Why the Pro is not free in `range`: bookings, holds and external events after recurrence
 * expansion and dedupe (the engine's own busy time), absences and public holidays.
 */
export function explainBusyTime(
  schedule: ProSchedule,
  range: Interval,
  now: number,
): ExplainedInterval[] {
  const query = availabilityQuery(schedule, { serviceId: '', range, now });
  const zone = ianaZone(schedule.settings.timeZone);
  const busy = zone
    ? busyTime({
        bookings: query.bookings,
        externalEvents: query.externalEvents,
        calendars: query.calendars,
        range,
        zone,
      })
    : [];
  const intervals: ExplainedInterval[] = busy.map((b) =>
    b.kind === 'external'
      ? {
          kind: 'external',
          start: b.start,
          end: b.end,
          calendarId: b.calendarId ?? undefined,
          eventUid: b.eventUid ?? undefined,
          recurrenceId: b.recurrenceId ?? undefined,
        }
      : { kind: b.kind, start: b.start, end: b.end, bookingId: b.bookingId ?? undefined },
  );
  for (const absence of schedule.absences) {
    if (overlap(absence, range))
      intervals.push({
        kind: 'absence',
        start: absence.start,
        end: absence.end,
        absenceId: absence.absenceId,
      });
  }
  if (schedule.territory) intervals.push(...holidayDays(schedule, schedule.territory, range));
  return intervals.sort((a, b) => a.start - b.start || a.end - b.end);
}
