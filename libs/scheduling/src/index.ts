export { SchedulingError, type SchedulingErrorCode } from './errors';
export type {
  Absence,
  Appointment,
  DateOverride,
  EventTime,
  ExternalEvent,
  GeoPoint,
  LocalWindow,
  ProSettings,
  ServiceSpec,
  SourceCalendar,
  TerritoryRules,
  WeeklyRule,
} from './model';
export {
  type Interval,
  contains,
  mergeIntervals,
  overlap,
  subtractIntervals,
} from './intervals/intervals';
export { localDay, toLocalIso } from './time/zone';
export { publicHolidays } from './windows/holidays';
export { type WindowInput, type WorkingWindow, workingWindows } from './windows/working-windows';
export { type BusyInput, type BusyInterval, type BusyKind, busyTime } from './busy/busy-time';
export { roughSpan } from './busy/event-time';
export {
  type GreatCircleOptions,
  type TravelEstimator,
  greatCircleKm,
  greatCircleTravel,
} from './travel/travel';
export {
  type Placement,
  type StartRange,
  allows,
  gridStarts,
  startRanges,
} from './slots/start-ranges';
export {
  type Availability,
  type AvailabilityQuery,
  type ProContext,
  type Slot,
  type SourceFreshness,
  allowedStarts,
  availability,
  proContext,
  slotsOf,
} from './slots/availability';
export { type GroupSlot, type ProSlots, commonSlots } from './search/group';
export {
  type Candidate,
  type Preferences,
  type ScorePart,
  type SuggestInput,
  type Suggestion,
  suggestSlots,
} from './search/suggest';
export { type PackageItem, type PackageSlot, sequenceSlots } from './search/sequence';
export {
  type DayPlan,
  type MovableAppointment,
  type MoveProposal,
  type OptimiseDayInput,
  optimiseDay,
} from './optimise/optimise-day';
