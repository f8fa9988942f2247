import {
  type Absence,
  type Appointment,
  type ExternalEvent,
  type GeoPoint,
  type ProSettings,
  type Slot,
  type SourceCalendar,
  type TerritoryRules,
  allowedStarts,
  allows,
  availability,
  proContext,
  startRanges,
} from '@cs/scheduling';
import { type ScheduledBooking } from './pro-schedule';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far around the requested start alternatives are looked for. */
export const ALTERNATIVES_BEFORE = 2 * DAY;
export const ALTERNATIVES_AFTER = 7 * DAY;
/** How many alternatives a refused request is offered. */
export const ALTERNATIVES = 5;

/** What the booking service knows about a Pro besides its bookings, from the availability and sync streams. */
export interface ScheduleInputs {
  readonly settings: ProSettings;
  readonly territory: TerritoryRules | null;
  readonly absences: readonly Absence[];
  readonly externalEvents: readonly ExternalEvent[];
  readonly calendars: readonly SourceCalendar[];
  /**
   * Where the bookings around are, by booking id, opened by the shell from their sealed events
   * (docs/adr/0008); a booking without a place, or whose client was erased, is not in it.
   */
  readonly places: ReadonlyMap<string, GeoPoint>;
}

/** The inputs with the place of the booking being placed, which the shell knows in clear. */
export const withPlace = (
  inputs: ScheduleInputs,
  bookingId: string,
  place: GeoPoint | null,
): ScheduleInputs =>
  place ? { ...inputs, places: new Map(inputs.places).set(bookingId, place) } : inputs;

export interface PlacementRequest {
  readonly serviceId: string;
  readonly start: number;
  readonly emergency: boolean;
  /** A person decided: working windows, notice, horizon, limits and external events do not apply. */
  readonly override: boolean;
  readonly location: GeoPoint | null;
}

export function appointmentsOf(
  bookings: readonly ScheduledBooking[],
  places: ScheduleInputs['places'],
): Appointment[] {
  return bookings.map((b) => ({
    bookingId: b.bookingId,
    kind: b.status === 'held' ? 'hold' : 'booking',
    serviceId: b.serviceId,
    start: b.start,
    end: b.end,
    bufferBeforeMinutes: b.bufferBeforeMinutes,
    bufferAfterMinutes: b.bufferAfterMinutes,
    location: places.get(b.bookingId) ?? null,
  }));
}

/** The availability question the scheduling library answers for this request. */
export function availabilityQuery(
  request: PlacementRequest,
  inputs: ScheduleInputs,
  bookings: readonly Appointment[],
  now: number,
  range: { start: number; end: number },
) {
  return {
    settings: inputs.settings,
    territory: inputs.territory,
    serviceId: request.serviceId,
    range,
    now,
    emergency: request.emergency,
    clientLocation: request.location,
    bookings,
    externalEvents: inputs.externalEvents,
    absences: inputs.absences,
    calendars: inputs.calendars,
  };
}

/** Whether the service fits at exactly `start` by every rule of docs/design.md §3 (or, overridden, by the gap rule between bookings). */
export function fits(
  request: PlacementRequest,
  inputs: ScheduleInputs,
  bookings: readonly Appointment[],
  now: number,
): boolean {
  const range = { start: request.start - DAY, end: request.start + DAY };
  if (!request.override) {
    const context = proContext(availabilityQuery(request, inputs, bookings, now, range));
    return allows(allowedStarts(context), request.start);
  }
  const context = proContext({
    ...availabilityQuery(request, inputs, bookings, now, range),
    externalEvents: [],
    absences: [],
  });
  const end = request.start + context.placement.durationMs;
  const window = {
    start: request.start,
    end,
    gridStart: request.start,
    serviceIds: null,
    emergencyOnly: false,
  };
  const bounds = { start: request.start, end: request.start };
  return startRanges([window], context.busy, context.placement, bounds).length > 0;
}

/** Free slots of the service in the days around `start`, nearest first. */
export function nearestSlots(
  request: PlacementRequest,
  inputs: ScheduleInputs,
  bookings: readonly Appointment[],
  now: number,
): Slot[] {
  const range = {
    start: Math.max(now, request.start - ALTERNATIVES_BEFORE),
    end: request.start + ALTERNATIVES_AFTER,
  };
  const { slots } = availability(
    availabilityQuery({ ...request, override: false }, inputs, bookings, now, range),
  );
  return [...slots].sort(
    (a, b) => Math.abs(a.start - request.start) - Math.abs(b.start - request.start),
  );
}

export function durationOf(inputs: ScheduleInputs, serviceId: string) {
  const service = inputs.settings.services.find((s) => s.serviceId === serviceId);
  return service
    ? {
        durationMs: service.durationMinutes * MINUTE,
        bufferBeforeMinutes: service.bufferBeforeMinutes,
        bufferAfterMinutes: service.bufferAfterMinutes,
      }
    : undefined;
}
