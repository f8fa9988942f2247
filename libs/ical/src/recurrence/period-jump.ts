import { MS_PER_DAY, civilDate, dayNumber } from '../time/civil';
import { type RecurrenceRule } from './rule';

/**
 * A rule without COUNT yields the same occurrences from any start a whole number of its
 * periods after DTSTART, as long as that start keeps every default the rule takes from
 * DTSTART (weekday, day of month, month). So the libraries can begin one period before the
 * window instead of walking from DTSTART, and expansion costs time in proportion to the
 * window, not to the years since the series began. The shifted start itself is only an
 * occurrence if the rule produces it: both libraries leave out a start that does not match.
 */
export function jumpedStart(
  rule: RecurrenceRule,
  startLocal: number,
  fromLocal: number,
): number | null {
  if (rule.count !== null || fromLocal <= startLocal) return null;
  const startDay = Math.floor(startLocal / MS_PER_DAY);
  const timeOfDay = startLocal - startDay * MS_PER_DAY;
  const fromDay = Math.floor(fromLocal / MS_PER_DAY);
  switch (rule.freq) {
    case 'DAILY':
    case 'WEEKLY': {
      const periodDays = rule.interval * (rule.freq === 'WEEKLY' ? 7 : 1);
      const periods = Math.floor((fromDay - startDay) / periodDays) - 1;
      return periods > 0 ? startLocal + periods * periodDays * MS_PER_DAY : null;
    }
    case 'MONTHLY':
    case 'YEARLY': {
      const start = civilDate(startDay);
      const from = civilDate(fromDay);
      const unit = rule.freq === 'MONTHLY' ? 1 : 12;
      const monthsBetween = (from.year - start.year) * 12 + (from.month - start.month);
      const periods = Math.floor(monthsBetween / (unit * rule.interval)) - 1;
      if (periods <= 0) return null;
      const months = start.year * 12 + (start.month - 1) + periods * unit * rule.interval;
      const dayDefaulted = !(
        rule.byMonthDay.length ||
        rule.byDay.length ||
        rule.byYearDay.length ||
        rule.byWeekNo.length
      );
      // A default day that a shorter month lacks (the 31st, 29 February) cannot be moved.
      if (dayDefaulted && start.day > 28) return null;
      const month = rule.freq === 'YEARLY' && rule.byMonth.length ? 1 : (months % 12) + 1;
      return (
        dayNumber(Math.floor(months / 12), month, dayDefaulted ? start.day : 1) * MS_PER_DAY +
        timeOfDay
      );
    }
    default:
      return null;
  }
}
