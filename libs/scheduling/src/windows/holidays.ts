import Holidays from 'date-holidays';
import { SchedulingError } from '../errors';

const calendars = new Map<string, Holidays>();
const years = new Map<string, readonly string[]>();

/**
 * Public holidays (type `public` only: not bank, school or observance days) of a
 * `date-holidays` region such as `NL`, `BE` or `DE-NW`, as local `YYYY-MM-DD` dates.
 * The rule sets are costly to build, so they are kept per region and year.
 */
export function publicHolidays(region: string, fromYear: number, toYear: number): Set<string> {
  const dates = new Set<string>();
  for (let year = fromYear; year <= toYear; year++) {
    const key = `${region}:${year}`;
    let list = years.get(key);
    if (!list) {
      list = calendarOf(region)
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
      years.set(key, list);
    }
    for (const date of list) dates.add(date);
  }
  return dates;
}

function calendarOf(region: string): Holidays {
  const cached = calendars.get(region);
  if (cached) return cached;
  const [country, state] = region.toUpperCase().split('-');
  const registry = new Holidays();
  const known =
    country in registry.getCountries() && (!state || state in (registry.getStates(country) ?? {}));
  if (!known)
    throw new SchedulingError(
      'invalid-setting',
      'holidayRegion',
      `"${region}" is not a date-holidays region`,
    );
  const calendar = state ? new Holidays(country, state) : new Holidays(country);
  calendars.set(region, calendar);
  return calendar;
}
