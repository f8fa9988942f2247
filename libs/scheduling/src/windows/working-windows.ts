import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  WEEKDAYS,
  civilDate,
  formatIsoDate,
  localToInstant,
  parseIsoDate,
  parseLocalTime,
  weekdayIndex,
} from '@cs/ical';
import { SchedulingError } from '../errors';
import { type Interval, subtractIntervals } from '../intervals/intervals';
import { type Absence, type LocalWindow, type ProSettings, type WeeklyRule } from '../model';
import { localDay, zoneOrThrow } from '../time/zone';

/** A span in which the Pro works, as instants; `gridStart` anchors the slot steps. */
export interface WorkingWindow extends Interval {
  readonly gridStart: number;
  readonly serviceIds: readonly string[] | null;
  readonly emergencyOnly: boolean;
}

export interface WindowInput {
  readonly settings: Pick<
    ProSettings,
    'timeZone' | 'weeklyHours' | 'dateOverrides' | 'worksOnHolidays'
  >;
  readonly range: Interval;
  readonly absences: readonly Absence[];
  /** Local `YYYY-MM-DD` dates of the territory's public holidays. */
  readonly holidays: ReadonlySet<string>;
}

/**
 * The Pro's working windows overlapping `range` (docs/design.md §3): weekly rules (alternate weeks
 * included), replaced on a date by that date's override, minus absences, minus public
 * holidays unless the Pro works on them. An explicit override on a holiday is taken as the
 * Pro choosing to work that day. Windows are cut by absences and holidays but keep their
 * original `gridStart`, so slot times do not shift around an absence.
 */
export function workingWindows(input: WindowInput): WorkingWindow[] {
  const { settings, range } = input;
  const zone = zoneOrThrow(settings.timeZone, 'timeZone');
  const rules = settings.weeklyHours.map((rule, index) => compileRule(rule, index));
  const overrides = new Map(
    settings.dateOverrides.map((o, index) => [
      dateOrThrow(o.date, `dateOverrides[${index}].date`),
      compileOverride(o.windows, index),
    ]),
  );

  const windows: WorkingWindow[] = [];
  const blocked: Interval[] = input.absences.map((a) => ({ start: a.start, end: a.end }));
  for (let day = localDay(zone, range.start) - 1; day <= localDay(zone, range.end); day++) {
    const override = overrides.get(day);
    const dayStart = day * MS_PER_DAY;
    if (!override && !settings.worksOnHolidays && input.holidays.has(formatIsoDate(day))) {
      blocked.push({
        start: localToInstant(zone, dayStart),
        end: localToInstant(zone, dayStart + MS_PER_DAY),
      });
    }
    const spans = override ?? rules.filter((rule) => rule.appliesOn(day)).map((rule) => rule.span);
    for (const span of spans) {
      const start = localToInstant(zone, dayStart + span.start * MS_PER_MINUTE);
      const end = localToInstant(zone, dayStart + span.end * MS_PER_MINUTE);
      if (end > start && end > range.start && start < range.end) {
        windows.push({
          start,
          end,
          gridStart: start,
          serviceIds: span.serviceIds,
          emergencyOnly: span.emergencyOnly,
        });
      }
    }
  }
  return windows.flatMap((window) =>
    subtractIntervals([window], blocked).map((part) => ({ ...window, ...part })),
  );
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly serviceIds: readonly string[] | null;
  readonly emergencyOnly: boolean;
}

function compileRule(
  rule: WeeklyRule,
  index: number,
): { span: Span; appliesOn: (day: number) => boolean } {
  const path = `weeklyHours[${index}]`;
  const span = {
    ...minutes(rule, path),
    serviceIds: rule.serviceIds,
    emergencyOnly: rule.emergencyOnly,
  };
  const days = new Set(
    rule.days.map((d, i) => {
      const weekday = WEEKDAYS.indexOf(d);
      if (weekday < 0)
        throw new SchedulingError(
          'invalid-setting',
          `${path}.days[${i}]`,
          `"${d}" is not a weekday`,
        );
      return weekday;
    }),
  );
  const repeat = rule.repeat;
  if (!repeat || repeat.everyWeeks === 1) {
    const from = repeat
      ? mondayOf(dateOrThrow(repeat.startingWeekOf, `${path}.repeat.startingWeekOf`))
      : -Infinity;
    return { span, appliesOn: (day) => day >= from && days.has(weekdayIndex(day)) };
  }
  if (!Number.isInteger(repeat.everyWeeks) || repeat.everyWeeks < 1) {
    throw new SchedulingError(
      'invalid-setting',
      `${path}.repeat.everyWeeks`,
      'must be a positive integer',
    );
  }
  const firstMonday = mondayOf(dateOrThrow(repeat.startingWeekOf, `${path}.repeat.startingWeekOf`));
  return {
    span,
    appliesOn: (day) =>
      day >= firstMonday &&
      Math.floor((day - firstMonday) / 7) % repeat.everyWeeks === 0 &&
      days.has(weekdayIndex(day)),
  };
}

function compileOverride(windows: readonly LocalWindow[], index: number): Span[] {
  return windows.map((w, i) => ({
    ...minutes(w, `dateOverrides[${index}].windows[${i}]`),
    serviceIds: null,
    emergencyOnly: false,
  }));
}

/** An end at or before the start means the window runs past midnight (night shifts). */
function minutes(window: LocalWindow, path: string): { start: number; end: number } {
  const start = parseLocalTime(window.start);
  const end = parseLocalTime(window.end);
  if (start === null || start === 1440)
    throw new SchedulingError('invalid-setting', `${path}.start`, `"${window.start}" is not HH:MM`);
  if (end === null)
    throw new SchedulingError('invalid-setting', `${path}.end`, `"${window.end}" is not HH:MM`);
  return { start, end: end <= start ? end + 1440 : end };
}

function dateOrThrow(text: string, path: string): number {
  const day = parseIsoDate(text);
  if (day === null)
    throw new SchedulingError('invalid-setting', path, `"${text}" is not a YYYY-MM-DD date`);
  return day;
}

function mondayOf(day: number): number {
  return day - weekdayIndex(day);
}

/** Years touched by a range, for holiday look-ups. */
export function yearsOf(range: Interval): [number, number] {
  return [
    civilDate(Math.floor(range.start / MS_PER_DAY) - 1).year,
    civilDate(Math.floor(range.end / MS_PER_DAY) + 1).year,
  ];
}
