import ICAL from 'ical.js';
import {
  MS_PER_DAY,
  MS_PER_MINUTE,
  WEEKDAYS,
  civilDate,
  dayNumber,
  daysInMonth,
  weekdayIndex,
} from '../time/civil';
import { type TimeZone } from '../time/time-zone';

interface Transition {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/**
 * A VTIMEZONE for an IANA zone, as Outlook and Apple want one beside every TZID: the
 * zone's changes in `year` written as yearly "n-th weekday of the month" rules (how every
 * current DST regime is defined), or a single STANDARD observance for zones without DST.
 */
export function vtimezoneFor(zone: TimeZone, year: number): ICAL.Component {
  const component = new ICAL.Component('vtimezone');
  component.addPropertyWithValue('tzid', zone.id);
  const transitions = transitionsIn(zone, year);
  if (transitions.length === 0) {
    const offset = zone.offsetAt(Date.UTC(year, 0, 1));
    component.addSubcomponent(observance('standard', { at: 0, from: offset, to: offset }, null));
    return component;
  }
  for (const transition of transitions) {
    const wall = civilWall(transition.at + transition.from);
    const length = daysInMonth(wall.year, wall.month);
    const ordinal = wall.day + 7 > length ? -1 : Math.ceil(wall.day / 7);
    const weekday = WEEKDAYS[weekdayIndex(dayNumber(wall.year, wall.month, wall.day))];
    const rule = `FREQ=YEARLY;BYMONTH=${wall.month};BYDAY=${ordinal}${weekday}`;
    const first = firstMatch(
      1970,
      wall.month,
      ordinal,
      weekdayIndex(dayNumber(wall.year, wall.month, wall.day)),
    );
    const start = first * MS_PER_DAY + wall.minutes * MS_PER_MINUTE;
    component.addSubcomponent(
      observance(
        transition.to > transition.from ? 'daylight' : 'standard',
        { ...transition, at: start },
        rule,
      ),
    );
  }
  return component;
}

function observance(
  kind: 'standard' | 'daylight',
  transition: Transition,
  rule: string | null,
): ICAL.Component {
  const component = new ICAL.Component(kind);
  const start = new Date(transition.at);
  component.addPropertyWithValue(
    'dtstart',
    ICAL.Time.fromData({
      year: start.getUTCFullYear(),
      month: start.getUTCMonth() + 1,
      day: start.getUTCDate(),
      hour: start.getUTCHours(),
      minute: start.getUTCMinutes(),
      second: 0,
    }),
  );
  component.addPropertyWithValue('tzoffsetfrom', utcOffset(transition.from));
  component.addPropertyWithValue('tzoffsetto', utcOffset(transition.to));
  if (rule) component.addPropertyWithValue('rrule', ICAL.Recur.fromString(rule));
  return component;
}

function utcOffset(ms: number): ICAL.UtcOffset {
  const minutes = Math.round(Math.abs(ms) / MS_PER_MINUTE);
  return new ICAL.UtcOffset({
    hours: Math.floor(minutes / 60),
    minutes: minutes % 60,
    factor: ms < 0 ? -1 : 1,
  });
}

/** The offset changes during a year, each to the minute. */
function transitionsIn(zone: TimeZone, year: number): Transition[] {
  const transitions: Transition[] = [];
  const first = dayNumber(year, 1, 1);
  const last = dayNumber(year + 1, 1, 1);
  let previous = zone.offsetAt(first * MS_PER_DAY);
  for (let day = first + 1; day <= last; day++) {
    const offset = zone.offsetAt(day * MS_PER_DAY);
    if (offset === previous) continue;
    let low = (day - 1) * MS_PER_DAY;
    let high = day * MS_PER_DAY;
    while (high - low > MS_PER_MINUTE) {
      const mid = low + Math.floor((high - low) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
      if (zone.offsetAt(mid) === previous) low = mid;
      else high = mid;
    }
    transitions.push({ at: high, from: previous, to: offset });
    previous = offset;
  }
  return transitions;
}

function civilWall(localMs: number): { year: number; month: number; day: number; minutes: number } {
  const day = Math.floor(localMs / MS_PER_DAY);
  return { ...civilDate(day), minutes: Math.round((localMs - day * MS_PER_DAY) / MS_PER_MINUTE) };
}

/** Day number of the n-th (or last, for −1) given weekday of a month. */
function firstMatch(year: number, month: number, ordinal: number, weekday: number): number {
  if (ordinal > 0) {
    const first = dayNumber(year, month, 1);
    return first + ((weekday - weekdayIndex(first) + 7) % 7) + (ordinal - 1) * 7;
  }
  const last = dayNumber(year, month, daysInMonth(year, month));
  return last - ((weekdayIndex(last) - weekday + 7) % 7);
}
