import { WEEKDAYS, civilDate, dayNumber, daysInMonth, weekdayIndex } from '../../time/civil';
import { type RecurrenceRule } from '../rule';
import { weekNumber } from './weeks';

export type DayFilter = (day: number) => boolean;

interface DayPlace {
  readonly date: number;
  readonly monthLength: number;
  readonly yearDay: number;
  readonly yearLength: number;
}

/**
 * Whether a day takes part in the rule, from its day-level BYxxx parts. Within one period
 * (RFC 5545 §3.3.10's table) an "expand" part lists the same days as a "limit" part applied
 * to every day of the period, so every part is a test on the day. Parts the table marks N/A
 * for a frequency (BYMONTHDAY in WEEKLY, BYYEARDAY in MONTHLY…) limit too, as in dateutil.
 * A BYMONTHDAY a month lacks (30 February) matches no day: skipped, never clamped.
 */
export function dayFilter(rule: RecurrenceRule, startDay: number): DayFilter {
  const defaults = defaultedParts(rule, startDay);
  const months = defaults.byMonth.length ? new Set(defaults.byMonth) : null;
  const monthDays = defaults.byMonthDay.length ? new Set(defaults.byMonthDay) : null;
  const yearDays = rule.byYearDay.length ? new Set(rule.byYearDay) : null;
  const weekNos = rule.byWeekNo.length ? new Set(rule.byWeekNo) : null;
  const wkst = WEEKDAYS.indexOf(rule.wkst);
  const weekdays = weekdayTest(rule, defaults.weekdays, months !== null);

  return (day) => {
    const { year, month, day: date } = civilDate(day);
    if (months && !months.has(month)) return false;
    const monthLength = daysInMonth(year, month);
    if (monthDays && !monthDays.has(date) && !monthDays.has(date - monthLength - 1)) return false;
    const yearLength = daysInMonth(year, 2) === 29 ? 366 : 365;
    const yearDay = day - dayNumber(year, 1, 1) + 1;
    if (yearDays && !yearDays.has(yearDay) && !yearDays.has(yearDay - yearLength - 1)) return false;
    if (weekNos) {
      const { week, fromEnd } = weekNumber(day, wkst);
      if (!weekNos.has(week) && !weekNos.has(fromEnd)) return false;
    }
    return !weekdays || weekdays(weekdayIndex(day), { date, monthLength, yearDay, yearLength });
  };
}

/**
 * A rule without any day part repeats DTSTART's day: its month and day of month (YEARLY),
 * its day of month (MONTHLY) or its weekday (WEEKLY), as RFC 5545 §3.3.10 and dateutil do.
 */
function defaultedParts(rule: RecurrenceRule, startDay: number) {
  const start = civilDate(startDay);
  const weekdays = rule.byDay.map((d) => ({ weekday: WEEKDAYS.indexOf(d.weekday), n: d.ordinal }));
  const parts = { byMonth: rule.byMonth, byMonthDay: rule.byMonthDay, weekdays };
  if (rule.byWeekNo.length || rule.byYearDay.length || rule.byMonthDay.length || weekdays.length)
    return parts;
  switch (rule.freq) {
    case 'YEARLY':
      return {
        ...parts,
        byMonth: rule.byMonth.length ? rule.byMonth : [start.month],
        byMonthDay: [start.day],
      };
    case 'MONTHLY':
      return { ...parts, byMonthDay: [start.day] };
    case 'WEEKLY':
      return { ...parts, weekdays: [{ weekday: weekdayIndex(startDay), n: 0 }] };
    default:
      return parts;
  }
}

/**
 * BYDAY: an ordinal counts within the month (MONTHLY, or YEARLY with BYMONTH) or the year
 * (YEARLY). Elsewhere, and in YEARLY with BYWEEKNO where RFC 5545 forbids ordinals, an
 * ordinal is read as the plain weekday, as dateutil does. The list is a union: BYDAY=MO,1TU
 * is every Monday and the first Tuesday.
 */
function weekdayTest(
  rule: RecurrenceRule,
  weekdays: readonly { weekday: number; n: number }[],
  hasMonths: boolean,
): ((weekday: number, place: DayPlace) => boolean) | null {
  if (!weekdays.length) return null;
  const scope =
    rule.freq === 'MONTHLY' || (rule.freq === 'YEARLY' && hasMonths && !rule.byWeekNo.length)
      ? 'month'
      : rule.freq === 'YEARLY' && !rule.byWeekNo.length
        ? 'year'
        : null;
  const plain = new Set(weekdays.filter((d) => !scope || d.n === 0).map((d) => d.weekday));
  const ordinals = scope ? weekdays.filter((d) => d.n !== 0) : [];
  return (weekday, place) => {
    if (plain.has(weekday)) return true;
    if (!ordinals.length) return false;
    const [index, length] =
      scope === 'month' ? [place.date, place.monthLength] : [place.yearDay, place.yearLength];
    const nth = Math.floor((index - 1) / 7) + 1;
    const nthFromEnd = -(Math.floor((length - index) / 7) + 1);
    return ordinals.some((d) => d.weekday === weekday && (d.n === nth || d.n === nthFromEnd));
  };
}
