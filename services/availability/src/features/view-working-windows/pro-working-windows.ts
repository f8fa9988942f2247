import { type Interval, publicHolidays, type WorkingWindow, workingWindows } from '@cs/scheduling';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';

/**
 * When the Pro works in `range` by its own rules (weekly hours, overrides, absences, the
 * territory's public holidays), before bookings and external events take their share.
 */
export function proWorkingWindows(schedule: ProSchedule, range: Interval): WorkingWindow[] {
  const { settings, territory } = schedule;
  // A local day can start in the previous UTC year; a year either side covers every zone.
  const holidays = territory
    ? publicHolidays(
        territory.holidayRegion,
        new Date(range.start).getUTCFullYear() - 1,
        new Date(range.end).getUTCFullYear() + 1,
      )
    : new Set<string>();
  return workingWindows({ settings, range, absences: schedule.absences, holidays });
}
