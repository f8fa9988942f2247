import {
  MS_PER_DAY,
  WEEKDAYS,
  civilDate,
  dayNumber,
  daysInMonth,
  weekdayIndex,
} from '../time/civil';
import { type RecurrenceRule } from './rule';

/**
 * Simple DAILY/WEEKLY/MONTHLY rules without COUNT can be evaluated at any date, so this
 * jumps straight to the window instead of walking from DTSTART as rrule and ical.js do
 * (DESIGN §7: a rule from 2015 expanded into a month of 2027 must cost well under 1 ms).
 */
export function fastPathApplies(rule: RecurrenceRule): boolean {
  if (rule.count !== null) return false;
  if (rule.byYearDay.length || rule.byWeekNo.length || rule.bySetPos.length) return false;
  if (rule.byHour.length || rule.byMinute.length || rule.bySecond.length) return false;
  if (rule.byDay.some((d) => d.ordinal !== 0)) return false;
  switch (rule.freq) {
    case 'DAILY':
    case 'WEEKLY':
      return rule.byMonthDay.length === 0;
    case 'MONTHLY':
      return rule.byDay.length === 0;
    default:
      return false;
  }
}

/** Wall-clock starts (local ms) of the rule's occurrences between `fromLocal` and `toLocal`. */
export function fastPathStarts(
  rule: RecurrenceRule,
  startLocal: number,
  fromLocal: number,
  toLocal: number,
): number[] {
  const startDay = Math.floor(startLocal / MS_PER_DAY);
  const timeOfDay = startLocal - startDay * MS_PER_DAY;
  const fromDay = Math.max(startDay, Math.floor(fromLocal / MS_PER_DAY));
  const toDay = Math.floor(toLocal / MS_PER_DAY);
  const months = rule.byMonth.length ? new Set(rule.byMonth) : null;
  const days: number[] = [];
  const keep = (day: number) => {
    if (day >= fromDay && day <= toDay && (!months || months.has(civilDate(day).month)))
      days.push(day);
  };

  if (rule.freq === 'MONTHLY') monthlyDays(rule, startDay, fromDay, toDay, keep);
  else weeklyOrDailyDays(rule, startDay, fromDay, toDay, keep);

  // RFC 5545 §3.8.5.3: DTSTART is always the first instance, matching the rule or not.
  if (startDay >= fromDay && startDay <= toDay && days[0] !== startDay) days.unshift(startDay);
  const starts = days
    .map((day) => day * MS_PER_DAY + timeOfDay)
    .filter((t) => t >= fromLocal && t <= toLocal);
  return [...new Set(starts)].sort((a, b) => a - b);
}

function weeklyOrDailyDays(
  rule: RecurrenceRule,
  startDay: number,
  fromDay: number,
  toDay: number,
  keep: (day: number) => void,
) {
  const weekdays = rule.byDay.map((d) => WEEKDAYS.indexOf(d.weekday));
  if (rule.freq === 'DAILY') {
    const allowed = weekdays.length ? new Set(weekdays) : null;
    const n = rule.interval;
    for (let day = startDay + Math.ceil((fromDay - startDay) / n) * n; day <= toDay; day += n) {
      if (!allowed || allowed.has(weekdayIndex(day))) keep(day);
    }
    return;
  }
  const wkst = WEEKDAYS.indexOf(rule.wkst);
  const offsets = [
    ...new Set(
      (weekdays.length ? weekdays : [weekdayIndex(startDay)]).map((wd) => (wd - wkst + 7) % 7),
    ),
  ].sort((a, b) => a - b);
  const firstWeek = startDay - ((weekdayIndex(startDay) - wkst + 7) % 7);
  const period = 7 * rule.interval;
  for (
    let week = firstWeek + Math.max(0, Math.floor((fromDay - firstWeek) / period)) * period;
    week <= toDay;
    week += period
  ) {
    for (const offset of offsets) if (week + offset >= startDay) keep(week + offset);
  }
}

function monthlyDays(
  rule: RecurrenceRule,
  startDay: number,
  fromDay: number,
  toDay: number,
  keep: (day: number) => void,
) {
  const start = civilDate(startDay);
  const from = civilDate(fromDay);
  const firstMonth = start.year * 12 + start.month - 1;
  const n = rule.interval;
  const monthDays = rule.byMonthDay.length ? rule.byMonthDay : [start.day];
  for (
    let index =
      firstMonth + Math.max(0, Math.floor((from.year * 12 + from.month - 1 - firstMonth) / n)) * n;
    ;
    index += n
  ) {
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (dayNumber(year, month, 1) > toDay) return;
    const length = daysInMonth(year, month);
    const days = monthDays
      .map((v) => (v > 0 ? v : length + 1 + v))
      .filter((d) => d >= 1 && d <= length)
      .map((d) => dayNumber(year, month, d))
      .sort((a, b) => a - b);
    for (const day of new Set(days)) if (day >= startDay) keep(day);
  }
}
