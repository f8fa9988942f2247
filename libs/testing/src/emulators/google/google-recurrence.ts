import type { calendar_v3 } from '@googleapis/calendar';
import {
  type Occurrence,
  type RecurrenceSeries,
  type TimeZone,
  UTC,
  expandRecurrence,
  ianaZone,
  instantToLocal,
  parseRecurrenceRule,
} from '@cs/ical';
import { dateToLocalMs, localMsToDate, rfc3339InZone } from '../shared/wall-clock';

export type GoogleEvent = calendar_v3.Schema$Event;
type EventDateTime = calendar_v3.Schema$EventDateTime;

export interface Window {
  start: number;
  end: number;
}

/** Start and end of an event as instants; an all-day event's `date`s are UTC midnights. */
export function spanOf(event: GoogleEvent): Window {
  return { start: instantOf(event.start), end: instantOf(event.end) };
}

export function instantOf(time: EventDateTime | undefined): number {
  if (time?.date) return dateToLocalMs(time.date);
  return Date.parse(time?.dateTime ?? '');
}

export const isRecurringMaster = (event: GoogleEvent) =>
  (event.recurrence ?? []).some((line) => line.toUpperCase().startsWith('RRULE:'));

/**
 * Instances of a recurring event in the window, as `singleEvents=true` and `instances` show
 * them: id `<masterId>_<original start>` (`20260105T080000Z`, or `20260105` all day),
 * `recurringEventId`, `originalStartTime`, wall-clock times kept across DST in the event's
 * zone (https://developers.google.com/calendar/api/guides/recurringevents). Stored
 * exceptions, moved or cancelled, replace the instance they are for.
 */
export function expandInstances(
  master: GoogleEvent,
  exceptions: ReadonlyMap<string, GoogleEvent>,
  window: Window,
  calendarZone: string,
): GoogleEvent[] {
  const allDay = Boolean(master.start?.date);
  const zoneName = master.start?.timeZone ?? calendarZone;
  const zone: TimeZone = allDay ? UTC : (ianaZone(zoneName) ?? UTC);
  const rruleLine = (master.recurrence ?? []).find((l) => l.toUpperCase().startsWith('RRULE:'));
  const span = spanOf(master);
  const series: RecurrenceSeries = {
    startLocal: allDay ? span.start : instantToLocal(zone, span.start),
    zone,
    allDay,
    duration: allDay
      ? { days: Math.round((span.end - span.start) / 86_400_000), ms: 0 }
      : { days: 0, ms: span.end - span.start },
    rule: rruleLine ? parseRecurrenceRule(rruleLine) : null,
    rdates: [],
    exdates: [],
  };
  const wide = { start: window.start - 366 * 86_400_000, end: window.end + 366 * 86_400_000 };
  const result: GoogleEvent[] = [];
  for (const occurrence of expandRecurrence(series, wide)) {
    const instance = instanceOf(master, occurrence, allDay, zone, zoneName);
    const replacement = exceptions.get(instance.id!) ?? instance;
    const at = spanOf(replacement);
    if (at.start < window.end && at.end > window.start) result.push(replacement);
  }
  return result;
}

function instanceOf(
  master: GoogleEvent,
  occurrence: Occurrence,
  allDay: boolean,
  zone: TimeZone,
  zoneName: string,
): GoogleEvent {
  const at = (instant: number): EventDateTime =>
    allDay
      ? { date: localMsToDate(instant) }
      : { dateTime: rfc3339InZone(zone, instant), timeZone: zoneName };
  const { recurrence: _recurrence, ...rest } = master;
  return {
    ...rest,
    id: `${master.id}_${instanceStamp(occurrence.recurrenceId, allDay)}`,
    recurringEventId: master.id!,
    originalStartTime: at(occurrence.recurrenceId),
    start: at(occurrence.start),
    end: at(occurrence.end),
  };
}

export function instanceStamp(originalStart: number, allDay: boolean): string {
  const iso = new Date(originalStart).toISOString().replace(/[-:]/g, '');
  return allDay ? iso.slice(0, 8) : `${iso.slice(0, 15)}Z`;
}
