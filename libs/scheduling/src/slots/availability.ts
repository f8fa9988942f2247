import { type TimeZone, localToInstant, MS_PER_DAY, MS_PER_MINUTE } from '@cs/ical';
import { type BusyInterval, busyTime } from '../busy/busy-time';
import { SchedulingError } from '../errors';
import { type Interval } from '../intervals/intervals';
import {
  type Absence,
  type Appointment,
  type ExternalEvent,
  type GeoPoint,
  type ProSettings,
  type ServiceSpec,
  type SourceCalendar,
  type TerritoryRules,
} from '../model';
import { localDay, zoneOrThrow } from '../time/zone';
import { type TravelEstimator, greatCircleKm, greatCircleTravel } from '../travel/travel';
import { publicHolidays } from '../windows/holidays';
import { type WorkingWindow, workingWindows, yearsOf } from '../windows/working-windows';
import {
  type Placement,
  type StartRange,
  gridStarts,
  startRanges,
  withoutStartsIn,
} from './start-ranges';

export interface AvailabilityQuery {
  readonly settings: ProSettings;
  readonly territory: TerritoryRules | null;
  readonly serviceId: string;
  readonly range: Interval;
  readonly now: number;
  readonly emergency?: boolean;
  /** The client's location; without it travel is not counted. */
  readonly clientLocation?: GeoPoint | null;
  readonly bookings: readonly Appointment[];
  readonly externalEvents: readonly ExternalEvent[];
  readonly absences: readonly Absence[];
  readonly calendars: readonly SourceCalendar[];
  /** Local public-holiday dates; computed from the territory's region when left out. */
  readonly holidays?: ReadonlySet<string>;
  readonly travel?: TravelEstimator;
}

export interface Slot {
  readonly start: number;
  readonly end: number;
}

export interface SourceFreshness {
  readonly calendarId: string;
  readonly lastSyncedAt: number | null;
  readonly stale: boolean;
}

export interface Availability {
  readonly slots: readonly Slot[];
  readonly sources: readonly SourceFreshness[];
  /** True when the Pro chose to be unavailable while a source calendar is stale. */
  readonly blockedByStaleSource: boolean;
}

/** Everything needed to place one service for one Pro, computed once per query. */
export interface ProContext {
  readonly zone: TimeZone;
  readonly service: ServiceSpec;
  readonly windows: readonly WorkingWindow[];
  readonly busy: readonly BusyInterval[];
  readonly placement: Placement;
  readonly bounds: Interval;
  readonly fullDays: readonly Interval[];
  readonly dailyLimit: number | null;
  readonly stepMs: number;
  readonly range: Interval;
}

/** Free slots of one Pro for one service (docs/design.md §3), with the freshness of each source. */
export function availability(query: AvailabilityQuery): Availability {
  const sources = query.calendars.map((c) => ({
    calendarId: c.calendarId,
    lastSyncedAt: c.lastSyncedAt,
    stale:
      c.lastSyncedAt === null || query.now - c.lastSyncedAt > c.staleAfterMinutes * MS_PER_MINUTE,
  }));
  const blockedByStaleSource =
    query.settings.staleSourcePolicy === 'unavailable' && sources.some((s) => s.stale);
  if (blockedByStaleSource) return { slots: [], sources, blockedByStaleSource };
  const context = proContext(query);
  return { slots: slotsOf(context, allowedStarts(context)), sources, blockedByStaleSource };
}

export function proContext(query: AvailabilityQuery): ProContext {
  const { settings, territory, range, now } = query;
  const zone = zoneOrThrow(settings.timeZone, 'timeZone');
  const service = settings.services.find((s) => s.serviceId === query.serviceId);
  if (!service)
    throw new SchedulingError(
      'unknown-service',
      'serviceId',
      `the Pro does not offer "${query.serviceId}"`,
    );
  if (!(settings.slotStepMinutes > 0))
    throw new SchedulingError('invalid-setting', 'slotStepMinutes', 'must be positive');

  const emergency = query.emergency ?? false;
  const durationMs = service.durationMinutes * MS_PER_MINUTE;
  const holidays =
    query.holidays ??
    (territory ? publicHolidays(territory.holidayRegion, ...yearsOf(range)) : new Set<string>());
  const client = query.clientLocation ?? null;
  const radius = territory?.serviceRadiusKm ?? null;
  const outOfReach =
    radius !== null &&
    client !== null &&
    settings.homeLocation !== null &&
    greatCircleKm(settings.homeLocation, client) > radius;
  const windows = outOfReach
    ? []
    : workingWindows({ settings, range, absences: query.absences, holidays }).filter(
        (w) =>
          (w.serviceIds === null || w.serviceIds.includes(service.serviceId)) &&
          (emergency || !w.emergencyOnly),
      );
  // Neighbours up to a day away can still matter through buffers and travel.
  const busy = busyTime({
    bookings: query.bookings,
    externalEvents: query.externalEvents,
    calendars: query.calendars,
    range: { start: range.start - MS_PER_DAY, end: range.end + MS_PER_DAY },
    zone,
  });

  const dailyLimit = settings.maxBookingsPerDay ?? territory?.defaults.maxBookingsPerDay ?? null;
  const notice = emergency
    ? 0
    : (settings.minNoticeMinutes ?? territory?.defaults.minNoticeMinutes ?? 0);
  const horizonDays = settings.horizonDays ?? territory?.defaults.horizonDays ?? null;
  const bounds = {
    start: Math.max(range.start, now + notice * MS_PER_MINUTE),
    end: Math.min(
      range.end - durationMs,
      horizonDays === null ? Infinity : now + horizonDays * MS_PER_DAY,
    ),
  };
  return {
    zone,
    service,
    windows,
    busy,
    placement: {
      durationMs,
      bufferBeforeMs: service.bufferBeforeMinutes * MS_PER_MINUTE,
      bufferAfterMs: service.bufferAfterMinutes * MS_PER_MINUTE,
      location: client,
      travel:
        query.travel ??
        greatCircleTravel({
          averageSpeedKmh: territory?.averageSpeedKmh,
          detourFactor: territory?.detourFactor,
        }),
    },
    bounds,
    fullDays: fullDays(query.bookings, zone, dailyLimit, 1),
    dailyLimit,
    stepMs: settings.slotStepMinutes * MS_PER_MINUTE,
    range,
  };
}

export function allowedStarts(context: ProContext): StartRange[] {
  return withoutStartsIn(
    startRanges(context.windows, context.busy, context.placement, context.bounds),
    context.fullDays,
  );
}

export function slotsOf(context: ProContext, ranges: readonly StartRange[]): Slot[] {
  const slots: Slot[] = [];
  for (const range of ranges) {
    for (const start of gridStarts(range, context.stepMs))
      slots.push({ start, end: start + context.placement.durationMs });
  }
  return slots;
}

/** Local days on which `adding` more bookings would pass the Pro's daily booking limit. */
export function fullDays(
  bookings: readonly Appointment[],
  zone: TimeZone,
  limit: number | null,
  adding: number,
): Interval[] {
  if (limit === null) return [];
  const perDay = new Map<number, number>();
  for (const booking of bookings) {
    const day = localDay(zone, booking.start);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return [...perDay]
    .filter(([, count]) => count + adding > limit)
    .map(([day]) => ({
      start: localToInstant(zone, day * MS_PER_DAY),
      end: localToInstant(zone, (day + 1) * MS_PER_DAY),
    }))
    .sort((a, b) => a.start - b.start);
}
