import type { calendarEventUpserted, EventData } from '@cs/contracts';
import {
  type IcalEvent,
  type IcalPeriod,
  type IcalTime,
  localToInstant,
  MS_PER_DAY,
  parseCalendar,
  UTC,
} from '@cs/ical';
import type { EventProblem } from './problems';
import { recurrenceProblem } from './recurrence-check';

/** One event or overridden instance as busy time needs it, before the Pro and calendar are added. */
export type Instance = Omit<EventData<typeof calendarEventUpserted>, 'proId' | 'calendarId'>;

export interface ItemContent {
  uid: string | null;
  instances: Instance[];
  /** What could not be read, or was read only in part. */
  problems: EventProblem[];
}

/** The key of an instance within its item: the master is '', an override its RECURRENCE-ID. */
export const instanceKey = (instance: Pick<Instance, 'recurrenceId'>) =>
  instance.recurrenceId ?? '';

const iso = (ms: number) => new Date(ms).toISOString();
const wallClock = (localMs: number, date: boolean) =>
  new Date(localMs).toISOString().slice(0, date ? 10 : 19);

/**
 * A time as it travels: an instant when its zone is known; a date or floating time as written,
 * since only availability and booking know the Pro's zone it is read in.
 */
function eventTime(time: IcalTime): string {
  return time.kind === 'zoned'
    ? iso(localToInstant(time.zone, time.localMs))
    : wallClock(time.localMs, time.kind === 'date');
}

/** An all-day series names its instances by date: Exchange writes midnight in a Windows zone. */
const instanceTime = (time: IcalTime, allDaySeries: boolean) =>
  allDaySeries ? wallClock(time.localMs, true) : eventTime(time);

function endOf(event: IcalEvent): string {
  const { start, duration } = event;
  const local = start.localMs + duration.days * MS_PER_DAY;
  if (start.kind === 'zoned') return iso(localToInstant(start.zone, local) + duration.ms);
  return wallClock(local + duration.ms, start.kind === 'date');
}

function rdateOf(rdate: IcalTime | IcalPeriod, allDaySeries: boolean): Instance['rdates'][number] {
  return rdate.kind === 'period'
    ? { start: eventTime(rdate.start), end: eventTime(rdate.end) }
    : { start: instanceTime(rdate, allDaySeries), end: null };
}

function toInstance(event: IcalEvent, allDaySeries: boolean): Instance {
  return {
    eventUid: event.uid,
    recurrenceId: event.recurrenceId ? instanceTime(event.recurrenceId, allDaySeries) : null,
    start: eventTime(event.start),
    end: endOf(event),
    allDay: event.allDay,
    status: event.status,
    transparent: event.transparent,
    declinedByPro: false,
    rrule: event.rrule?.text ?? null,
    rdates: event.rdates.map((t) => rdateOf(t, allDaySeries)),
    exdates: event.exdates.map((t) => instanceTime(t, allDaySeries)),
    timeZone: event.start.kind === 'zoned' ? event.start.zone.id : null,
    location: event.geo ? { lat: event.geo.lat, lng: event.geo.lng } : null,
    bookingId: null,
  };
}

/**
 * The instances in one calendar resource; a VEVENT that does not parse is left out, the rest
 * kept, and each problem named. A rule that cannot be expanded over the booking horizon from
 * `now` leaves its event busy at its first instance only.
 */
export function itemContent(ics: string, now: number): ItemContent {
  const parsed = parseCalendar(ics);
  const problems: EventProblem[] = parsed.problems.map(({ eventUid, line, reason }) => ({
    eventUid,
    line,
    reason,
  }));
  const events = parsed.events.map((event) => {
    const reason = recurrenceProblem(event, now, UTC);
    if (!reason) return event;
    problems.push({ eventUid: event.uid, line: event.line, reason });
    return { ...event, rrule: null, rdates: [], exdates: [] };
  });
  // Floating times are already in X-WR-TIMEZONE when the calendar names one.
  const allDaySeries = (event: IcalEvent) =>
    (parsed.events.find((e) => e.uid === event.uid && !e.recurrenceId) ?? event).allDay;
  const instances = events.map((event) => toInstance(event, allDaySeries(event)));
  return { uid: parsed.events[0]?.uid ?? null, instances, problems };
}
