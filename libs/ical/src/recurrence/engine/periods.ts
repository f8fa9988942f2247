import { WEEKDAYS, civilDate, dayNumber } from '../../time/civil';
import { type RecurrenceRule } from '../rule';
import { weekStart } from './weeks';

/** The periods of a DAILY, WEEKLY, MONTHLY or YEARLY rule, numbered so that any one is O(1). */
export interface DayPeriods {
  indexOf(day: number): number;
  firstDay(index: number): number;
}

/** Weeks start on WKST (RFC 5545 §3.3.10); months and years are the calendar's. */
export function dayPeriods(rule: RecurrenceRule): DayPeriods {
  switch (rule.freq) {
    case 'WEEKLY': {
      const origin = weekStart(0, WEEKDAYS.indexOf(rule.wkst));
      return {
        indexOf: (day) => Math.floor((day - origin) / 7),
        firstDay: (index) => origin + index * 7,
      };
    }
    case 'MONTHLY':
      return {
        indexOf: (day) => {
          const { year, month } = civilDate(day);
          return year * 12 + month - 1;
        },
        firstDay: (index) => dayNumber(Math.floor(index / 12), (index % 12) + 1, 1),
      };
    case 'YEARLY':
      return {
        indexOf: (day) => civilDate(day).year,
        firstDay: (index) => dayNumber(index, 1, 1),
      };
    default:
      return { indexOf: (day) => day, firstDay: (index) => index };
  }
}

/** The first index at or after `target` that is a whole number of intervals after `first`. */
export function alignedIndex(first: number, target: number, interval: number): number {
  if (target <= first) return first;
  return first + Math.ceil((target - first) / interval) * interval;
}
