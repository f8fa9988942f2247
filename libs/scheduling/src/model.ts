import { type Weekday } from '@cs/ical';

/**
 * Inputs of the engine. Field names follow the Pro and territory settings of docs/api.md
 * (`proSettingsSchema`, `territorySettingsSchema`); every instant is epoch milliseconds (UTC)
 * and every configured time is wall-clock in the Pro's IANA zone.
 */
export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

export interface ServiceSpec {
  readonly serviceId: string;
  readonly durationMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
}

export interface LocalWindow {
  /** `HH:MM`; `24:00` allowed as an end. */
  readonly start: string;
  readonly end: string;
}

export interface WeeklyRule extends LocalWindow {
  readonly days: readonly Weekday[];
  /** Services bookable in this window; `null` means all. */
  readonly serviceIds: readonly string[] | null;
  readonly emergencyOnly: boolean;
  /** Alternate weeks: applies in the week of `startingWeekOf` and every `everyWeeks` after. */
  readonly repeat: { readonly everyWeeks: number; readonly startingWeekOf: string } | null;
}

export interface DateOverride {
  /** `YYYY-MM-DD`, a local date; its windows replace the weekly rules that day. */
  readonly date: string;
  readonly windows: readonly LocalWindow[];
}

export interface ProSettings {
  readonly timeZone: string;
  readonly homeLocation: GeoPoint | null;
  readonly services: readonly ServiceSpec[];
  readonly weeklyHours: readonly WeeklyRule[];
  readonly dateOverrides: readonly DateOverride[];
  readonly minNoticeMinutes: number | null;
  readonly horizonDays: number | null;
  readonly maxBookingsPerDay: number | null;
  readonly slotStepMinutes: number;
  readonly worksOnHolidays: boolean;
  readonly staleSourcePolicy: 'ignore' | 'unavailable';
}

export interface TerritoryRules {
  readonly timeZone: string;
  /** `date-holidays` region: a country (`NL`) or country-state (`DE-NW`). */
  readonly holidayRegion: string;
  readonly averageSpeedKmh: number | null;
  readonly detourFactor: number | null;
  /** Clients farther than this from a Pro's home cannot book that Pro. */
  readonly serviceRadiusKm?: number | null;
  readonly defaults: {
    readonly minNoticeMinutes: number | null;
    readonly horizonDays: number | null;
    readonly maxBookingsPerDay: number | null;
  };
}

export interface Absence {
  readonly start: number;
  readonly end: number;
}

/** A booking or hold of this Pro (active ones only: held or confirmed). */
export interface Appointment {
  readonly bookingId: string;
  readonly kind: 'booking' | 'hold';
  readonly serviceId: string;
  readonly start: number;
  readonly end: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly location: GeoPoint | null;
}

/**
 * A time of an external event as sync publishes it: an instant with its offset, or wall-clock
 * (`2026-03-10T09:00:00`, or a date `2026-03-10` for all-day) in the event's `timeZone`, else
 * in the Pro's zone.
 */
export type EventTime = string;

/** An external calendar event as sync publishes it (`calendar.event_upserted`). */
export interface ExternalEvent {
  readonly calendarId: string;
  readonly eventUid: string;
  readonly recurrenceId: EventTime | null;
  readonly start: EventTime;
  readonly end: EventTime;
  readonly allDay: boolean;
  readonly status: 'confirmed' | 'tentative' | 'cancelled';
  readonly transparent: boolean;
  readonly declinedByPro: boolean;
  readonly rrule: string | null;
  /** Extra instances; `end` null means the series' own length. */
  readonly rdates: readonly { readonly start: EventTime; readonly end: EventTime | null }[];
  readonly exdates: readonly EventTime[];
  /** IANA zone of wall-clock times and of the recurrence; null means the Pro's zone. */
  readonly timeZone: string | null;
  readonly location: GeoPoint | null;
  /** Set when the event mirrors one of our bookings. */
  readonly bookingId: string | null;
}

export interface SourceCalendar {
  readonly calendarId: string;
  readonly lastSyncedAt: number | null;
  readonly staleAfterMinutes: number;
  /** Whether all-day events in this calendar block time (default on). */
  readonly allDayBlocks: boolean;
}
