export { IcalError, type IcalErrorCode } from './errors';
export type {
  Attendee,
  EventStatus,
  GeoLocation,
  IcalDuration,
  IcalPeriod,
  IcalEvent,
  CalendarProblem,
  IcalTime,
  Organizer,
  ParsedCalendar,
  ParticipationStatus,
} from './model';
export { parseCalendar } from './parse/parse-calendar';
export { type CalendarParts, splitCalendar } from './parse/split-calendar';
export {
  parseRecurrenceRule,
  type ByDay,
  type Frequency,
  type RecurrenceRule,
} from './recurrence/rule';
export {
  expandRecurrence,
  type Interval,
  type Occurrence,
  type RecurrenceSeries,
} from './recurrence/expand';
export { expandEvent, type EventInstance } from './recurrence/expand-event';
export { splitSeries, type SeriesPart } from './recurrence/split-series';
export {
  DEFAULT_EXPANSION_BUDGET,
  ruleStarts,
  type ExpansionBudget,
  type RuleStartsOptions,
} from './recurrence/engine';
export { type TimeZone, UTC, ianaZone, instantToLocal, localToInstant } from './time/time-zone';
export { resolveZone } from './time/resolve-zone';
export { instantOf } from './time/instant';
export {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  WEEKDAYS,
  type CivilDate,
  type Weekday,
  civilDate,
  dayNumber,
  daysInMonth,
  formatIsoDate,
  parseIsoDate,
  pad2,
  parseLocalTime,
  weekdayIndex,
} from './time/civil';
export {
  DEFAULT_PRODID,
  type OutgoingAttendee,
  type OutgoingEvent,
  type SerializeOptions,
  serializeCalendar,
} from './write/serialize';
export { itipCancel, itipRequest } from './write/itip';
export { vtimezoneFor } from './write/vtimezone';
