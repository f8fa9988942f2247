import type { AvailabilityQuery, GeoPoint, Interval, SourceCalendar } from '@cs/scheduling';
import type { KnownCalendar, ProSchedule } from './schedule-reader';

/** Sync runs at least hourly; a calendar not synced for longer may hide busy time. */
export const STALE_AFTER_MINUTES = 60;

/** A calendar sync cannot reach is stale at once, however recent its last sync. */
function sourceOf(calendar: KnownCalendar): SourceCalendar {
  const reachable = calendar.state === 'ok' || calendar.state === 'degraded';
  return {
    calendarId: calendar.calendarId,
    lastSyncedAt: calendar.lastSyncedAt,
    staleAfterMinutes: reachable ? STALE_AFTER_MINUTES : 0,
    allDayBlocks: true,
  };
}

export interface QueryOptions {
  readonly serviceId: string;
  readonly range: Interval;
  readonly now: number;
  readonly emergency?: boolean;
  readonly clientLocation?: GeoPoint | null;
}

/** The engine's question for one Pro, from what the read model holds. */
export function availabilityQuery(schedule: ProSchedule, options: QueryOptions): AvailabilityQuery {
  return {
    ...options,
    settings: schedule.settings,
    territory: schedule.territory,
    bookings: schedule.appointments.filter(
      (a) => a.holdExpiresAt === null || a.holdExpiresAt > options.now,
    ),
    externalEvents: schedule.externalEvents,
    absences: schedule.absences,
    calendars: schedule.calendars.map(sourceOf),
  };
}
