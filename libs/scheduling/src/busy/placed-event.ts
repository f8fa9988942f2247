import {
  type RecurrenceRule,
  type TimeZone,
  expandRecurrence,
  instantToLocal,
  MS_PER_DAY,
  parseRecurrenceRule,
  resolveZone,
} from '@cs/ical';
import { type Interval } from '../intervals/intervals';
import { type EventTime, type ExternalEvent, type GeoPoint } from '../model';
import { type SeriesClock, placeInSeries, placeTime } from './event-time';

export type BusyKind = 'booking' | 'hold' | 'external';

/** Time the Pro is taken, with what the gap rule needs to know about it. */
export interface BusyInterval extends Interval {
  readonly kind: BusyKind;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  readonly location: GeoPoint | null;
  readonly bookingId: string | null;
  readonly calendarId: string | null;
  readonly eventUid: string | null;
  readonly recurrenceId: number | null;
}

/** An external event placed on the time line: wall-clock times read in its zone, else the Pro's. */
export interface Placed extends SeriesClock {
  readonly event: ExternalEvent;
  readonly start: number;
  readonly end: number;
  /** Position in the caller's list: ties keep the caller's order. */
  readonly order: number;
}

export function place(event: ExternalEvent, proZone: TimeZone, order: number): Placed {
  // All-day events block the Pro's own days, whatever zone their calendar names.
  const zone = (!event.allDay && event.timeZone && resolveZone(event.timeZone)) || proZone;
  const start = placeTime(event.start, zone);
  const end = Math.max(start, placeTime(event.end, zone));
  return {
    event,
    zone,
    start,
    end,
    startLocal: instantToLocal(zone, start),
    allDay: event.allDay,
    order,
  };
}

export function isSeries(event: ExternalEvent): boolean {
  return (event.rrule !== null || event.rdates.length > 0) && event.recurrenceId === null;
}

export function seriesKey(event: ExternalEvent): string {
  return `${event.calendarId}\u0000${event.eventUid}`;
}

export function expandedInstances(
  placed: Placed,
  overriddenIds: readonly EventTime[],
  range: Interval,
): BusyInterval[] {
  const { event, zone, start, end } = placed;
  const length = end - start;
  const occurrences = expandRecurrence(
    {
      startLocal: placed.startLocal,
      zone,
      allDay: event.allDay,
      duration: event.allDay
        ? { days: Math.round(length / MS_PER_DAY), ms: 0 }
        : { days: 0, ms: length },
      rule: event.rrule === null ? null : ruleOf(event.rrule),
      rdates: event.rdates.map((r) =>
        r.end === null
          ? placeInSeries(r.start, placed)
          : { start: placeTime(r.start, zone), end: placeTime(r.end, zone) },
      ),
      exdates: [...event.exdates, ...overriddenIds].map((t) => placeInSeries(t, placed)),
    },
    range,
  );
  return occurrences.map((o) => externalBusy(event, o.start, o.end, o.recurrenceId));
}

export function externalBusy(
  event: ExternalEvent,
  start: number,
  end: number,
  recurrenceId: number | null,
): BusyInterval {
  return {
    start,
    end,
    kind: 'external',
    bufferBeforeMs: 0,
    bufferAfterMs: 0,
    location: event.location,
    bookingId: null,
    calendarId: event.calendarId,
    eventUid: event.eventUid,
    recurrenceId,
  };
}

const rules = new Map<string, RecurrenceRule>();

/** The same few rules are read on every query, so parsed rules are kept. */
export function ruleOf(text: string): RecurrenceRule {
  let rule = rules.get(text);
  if (!rule) {
    if (rules.size > 10_000) rules.clear();
    rule = parseRecurrenceRule(text);
    rules.set(text, rule);
  }
  return rule;
}
