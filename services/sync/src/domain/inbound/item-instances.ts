import type { calendarEventUpserted, EventData } from '@cs/contracts';
import {
  type IcalEvent,
  type IcalPeriod,
  type IcalTime,
  localToInstant,
  MS_PER_DAY,
  parseCalendar,
  splitSeries,
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

/**
 * The key of an instance within its item: the master is '', an override its RECURRENCE-ID; a
 * series split off by RANGE=THISANDFUTURE has a UID of its own, so its key names both.
 */
export const instanceKey = (
  instance: Pick<Instance, 'eventUid' | 'recurrenceId'>,
  itemUid: string | null,
) =>
  instance.eventUid === itemUid
    ? (instance.recurrenceId ?? '')
    : JSON.stringify([instance.eventUid, instance.recurrenceId]);

/** What `instanceKey` names, for removing it. */
export function keyedInstance(
  key: string,
  itemUid: string,
): Pick<Instance, 'eventUid' | 'recurrenceId'> {
  if (key.startsWith('[')) {
    const [eventUid, recurrenceId] = JSON.parse(key) as [string, string | null];
    return { eventUid, recurrenceId };
  }
  return { eventUid: itemUid, recurrenceId: key === '' ? null : key };
}

/**
 * The UID the instances from a RANGE=THISANDFUTURE override on travel under: busy time expands
 * series, not ranges, so they go as a series of their own; the same in every calendar.
 */
export const futureUid = (uid: string, from: string) => `${uid}/RANGE=THISANDFUTURE/${from}`;

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

/** Addresses compare as RFC 5545 cal-addresses do in practice: without `mailto:`, any case. */
export const addressKey = (address: string) => address.replace(/^mailto:/i, '').toLowerCase();

/** The Pro declined when an attendee that is one of the calendar owner's addresses did. */
const declinedBy = (event: IcalEvent, owner: ReadonlySet<string>) =>
  event.attendees.some((a) => a.partstat === 'declined' && owner.has(addressKey(a.email)));

function toInstance(event: IcalEvent, allDaySeries: boolean, owner: ReadonlySet<string>): Instance {
  return {
    eventUid: event.uid,
    recurrenceId: event.recurrenceId ? instanceTime(event.recurrenceId, allDaySeries) : null,
    start: eventTime(event.start),
    end: endOf(event),
    allDay: event.allDay,
    status: event.status,
    transparent: event.transparent,
    declinedByPro: declinedBy(event, owner),
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
 * `now` leaves its event busy at its first instance only. `owner` holds the calendar owner's
 * addresses: an invitation one of them declined is not busy (docs/design.md, sync).
 */
export function itemContent(ics: string, now: number, owner: readonly string[]): ItemContent {
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
  const owners = new Set(owner.map(addressKey));
  const instances: Instance[] = [];
  for (const uid of new Set(events.map((e) => e.uid))) {
    const own = events.filter((e) => e.uid === uid);
    const master = own.find((e) => !e.recurrenceId);
    // Floating times are already in X-WR-TIMEZONE when the calendar names one.
    const parts = master
      ? splitSeries(
          master,
          own.filter((e) => e.recurrenceId),
          UTC,
        )
      : [{ from: null, master: null, overrides: own, exact: true }];
    for (const part of parts) {
      const allDay = (part.master ?? own[0]!).allDay;
      const from = part.from && instanceTime(part.from, allDay);
      if (!part.exact)
        problems.push({
          eventUid: uid,
          line: own.find((e) => e.thisAndFuture && e.recurrenceId === part.from)?.line ?? null,
          reason: `RANGE=THISANDFUTURE at ${from} moves later instances where the rule cannot follow; they are counted at their original times`,
        });
      const inPart = (event: IcalEvent) => {
        const instance = toInstance(event, allDay, owners);
        return from === null ? instance : { ...instance, eventUid: futureUid(uid, from) };
      };
      instances.push(...[part.master ?? [], ...part.overrides].flat().map(inPart));
    }
  }
  return { uid: parsed.events[0]?.uid ?? null, instances, problems };
}
