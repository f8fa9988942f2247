import type { calendarEventUpserted, EventData } from '@cs/contracts';
import { instantOf, MS_PER_DAY, parseCalendar, UTC, type IcalEvent } from '@cs/ical';

/** One event or overridden instance as busy time needs it, before the Pro and calendar are added. */
export type Instance = Omit<EventData<typeof calendarEventUpserted>, 'proId' | 'calendarId'>;

export interface ItemContent {
  uid: string | null;
  instances: Instance[];
}

/** The key of an instance within its item: the master is '', an override its RECURRENCE-ID. */
export const instanceKey = (instance: Pick<Instance, 'recurrenceId'>) =>
  instance.recurrenceId ?? '';

const iso = (ms: number) => new Date(ms).toISOString();

function toInstance(event: IcalEvent, viewerZone = UTC): Instance {
  const start = instantOf(event.start, viewerZone);
  const end = start + event.duration.days * MS_PER_DAY + event.duration.ms;
  return {
    eventUid: event.uid,
    recurrenceId: event.recurrenceId ? iso(instantOf(event.recurrenceId, viewerZone)) : null,
    start: iso(start),
    end: iso(Math.max(end, start)),
    allDay: event.allDay,
    status: event.status,
    transparent: event.transparent,
    declinedByPro: false,
    rrule: event.rrule?.text ?? null,
    exdates: event.exdates.map((t) => iso(instantOf(t, viewerZone))),
    timeZone: event.start.kind === 'zoned' ? event.start.zone.id : null,
    location: event.geo ? { lat: event.geo.lat, lng: event.geo.lng } : null,
    bookingId: null,
  };
}

/** The instances in one calendar resource; a VEVENT that does not parse is left out, the rest kept. */
export function itemContent(ics: string): ItemContent {
  const parsed = parseCalendar(ics);
  const zone = parsed.calendarZone ?? UTC;
  const instances = parsed.events.map((event) => toInstance(event, zone));
  return { uid: parsed.events[0]?.uid ?? null, instances };
}
