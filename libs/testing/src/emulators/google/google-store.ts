import { parseRecurrenceRule } from '@cs/ical';
import { base32hexId } from '../shared/random-id';
import {
  GoogleApiError,
  badRequest,
  conditionNotMet,
  fullSyncRequired,
  notFound,
} from './google-errors';
import {
  type GoogleEvent,
  type Window,
  expandInstances,
  instantOf,
  isRecurringMaster,
  spanOf,
} from './google-recurrence';

export interface GoogleCalendarSeed {
  id: string;
  summary?: string;
  timeZone?: string;
  primary?: boolean;
  accessRole?: 'owner' | 'writer' | 'reader' | 'freeBusyReader';
  backgroundColor?: string;
}

export interface GoogleCalendarState extends Required<GoogleCalendarSeed> {
  events: Map<string, { event: GoogleEvent; seq: number }>;
  /** Bumped to invalidate every sync token handed out for this calendar so far. */
  syncEpoch: number;
}

export interface ListQuery {
  singleEvents: boolean;
  showDeleted: boolean;
  window: Window | null;
  orderBy: 'startTime' | 'updated' | null;
  updatedMin: number | null;
  privateExtendedProperty: string[];
  syncToken: string | null;
}

interface SyncToken {
  c: string;
  s: number;
  e: number;
  x: boolean;
}

/** Client-chosen ids: base32hex, 5 to 1024 characters (https://developers.google.com/calendar/api/v3/reference/events/insert). */
const EVENT_ID = /^[a-v0-9]{5,1024}$/;
const FIELDS_SERVER_OWNS = ['kind', 'etag', 'id', 'created', 'updated', 'iCalUID', 'htmlLink'];
const TWO_YEARS = 730 * 86_400_000;

/**
 * Calendars and events of one emulated Google account, with Google's write rules and its
 * sync contract (https://developers.google.com/calendar/api/guides/sync): a sync token
 * returns every change since it was issued, deletions as `cancelled`, and refuses the
 * filters a full sync may use; an invalidated token answers 410.
 */
export class GoogleCalendarStore {
  readonly calendars = new Map<string, GoogleCalendarState>();
  /** Doubles as etag and change counter, shaped like Google's 16-digit etags. */
  private seq = 3_180_000_000_000_000;

  constructor(
    readonly owner: string,
    private readonly now: () => number,
    private readonly changed: (calendarId: string) => void,
  ) {}

  addCalendar(seed: GoogleCalendarSeed): GoogleCalendarState {
    const calendar: GoogleCalendarState = {
      summary: seed.id,
      timeZone: 'UTC',
      primary: false,
      accessRole: 'owner',
      backgroundColor: '#9fe1e7',
      ...seed,
      events: new Map(),
      syncEpoch: 0,
    };
    this.calendars.set(seed.id, calendar);
    return calendar;
  }

  calendar(id: string): GoogleCalendarState {
    const found =
      id === 'primary'
        ? [...this.calendars.values()].find((c) => c.primary)
        : this.calendars.get(id);
    if (!found) throw notFound();
    return found;
  }

  expireSyncTokens(calendarId: string): void {
    this.calendar(calendarId).syncEpoch++;
  }

  insert(calendarId: string, input: GoogleEvent): GoogleEvent {
    const calendar = this.calendar(calendarId);
    validateTimes(input);
    const id = input.id ?? base32hexId();
    if (!EVENT_ID.test(id)) throw badRequest('invalid', 'Invalid resource id value.');
    // Ids stay taken after a delete, so a retried insert is refused rather than duplicated.
    if (calendar.events.has(id))
      throw new GoogleApiError(409, 'duplicate', 'The requested identifier already exists.');
    const at = new Date(this.now()).toISOString();
    return this.store(calendar, {
      kind: 'calendar#event',
      status: 'confirmed',
      ...withoutServerFields(input),
      id,
      iCalUID: `${id}@google.com`,
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(id).toString('base64url')}`,
      created: at,
      sequence: 0,
      creator: { email: this.owner, self: true },
      organizer: { email: calendar.id, self: true },
      eventType: input.eventType ?? 'default',
      reminders: input.reminders ?? { useDefault: true },
    });
  }

  get(calendarId: string, eventId: string): GoogleEvent {
    const calendar = this.calendar(calendarId);
    return (
      calendar.events.get(eventId)?.event ?? this.instance(calendar, eventId) ?? raise(notFound())
    );
  }

  /** events.patch (`replace` false) and events.update (`replace` true). */
  modify(
    calendarId: string,
    eventId: string,
    change: GoogleEvent,
    ifMatch: string | null,
    replace: boolean,
  ): GoogleEvent {
    const calendar = this.calendar(calendarId);
    const current = this.get(calendarId, eventId);
    checkEtag(current, ifMatch);
    const next: GoogleEvent = replace
      ? {
          ...pick(current, [
            ...FIELDS_SERVER_OWNS,
            'recurringEventId',
            'originalStartTime',
            'creator',
            'organizer',
            'sequence',
            'status',
          ]),
          ...withoutServerFields(change),
        }
      : { ...current, ...withoutServerFields(change) };
    if (!replace && change.extendedProperties)
      next.extendedProperties = {
        private: { ...current.extendedProperties?.private, ...change.extendedProperties.private },
        shared: { ...current.extendedProperties?.shared, ...change.extendedProperties.shared },
      };
    next.id = current.id!;
    validateTimes(next);
    const moved =
      instantOf(next.start) !== instantOf(current.start) ||
      instantOf(next.end) !== instantOf(current.end);
    next.sequence = (current.sequence ?? 0) + (moved ? 1 : 0);
    return this.store(calendar, next);
  }

  /** A deleted event stays as `cancelled`; an instance becomes a cancelled exception. */
  delete(calendarId: string, eventId: string, ifMatch: string | null): void {
    const calendar = this.calendar(calendarId);
    const current = this.get(calendarId, eventId);
    checkEtag(current, ifMatch);
    if (current.status === 'cancelled')
      throw new GoogleApiError(410, 'deleted', 'Resource has been deleted');
    this.store(calendar, { ...current, status: 'cancelled' });
  }

  instances(calendarId: string, eventId: string, window: Window | null, showDeleted: boolean) {
    const calendar = this.calendar(calendarId);
    const master = calendar.events.get(eventId)?.event;
    if (!master || !isRecurringMaster(master)) throw notFound();
    return expandInstances(
      master,
      this.exceptionsOf(calendar, master),
      this.bounded(window),
      calendar.timeZone,
    ).filter((i) => showDeleted || i.status !== 'cancelled');
  }

  /** The items of an events.list (before paging) and the sync token for after them. */
  list(calendarId: string, query: ListQuery): { items: GoogleEvent[]; nextSyncToken: string } {
    const calendar = this.calendar(calendarId);
    const items = query.syncToken
      ? this.changesSince(calendar, query)
      : this.snapshot(calendar, query);
    const token: SyncToken = {
      c: calendar.id,
      s: this.seq,
      e: calendar.syncEpoch,
      x: query.singleEvents,
    };
    return { items, nextSyncToken: Buffer.from(JSON.stringify(token)).toString('base64url') };
  }

  private changesSince(calendar: GoogleCalendarState, query: ListQuery): GoogleEvent[] {
    const token = decodeSyncToken(query.syncToken!);
    if (
      !token ||
      token.c !== calendar.id ||
      token.e !== calendar.syncEpoch ||
      token.x !== query.singleEvents
    )
      throw fullSyncRequired();
    // Keyed by id: a changed series and its changed exception yield the exception once.
    const items = new Map<string, GoogleEvent>();
    for (const { event, seq } of calendar.events.values()) {
      if (seq <= token.s) continue;
      const expand = query.singleEvents && isRecurringMaster(event) && event.status !== 'cancelled';
      const changed = expand
        ? expandInstances(
            event,
            this.exceptionsOf(calendar, event),
            this.bounded(null),
            calendar.timeZone,
          )
        : [event];
      for (const item of changed) items.set(item.id!, shown(item));
    }
    return [...items.values()];
  }

  private snapshot(calendar: GoogleCalendarState, query: ListQuery): GoogleEvent[] {
    const window = this.bounded(query.window);
    const visible = (e: GoogleEvent) => query.showDeleted || e.status !== 'cancelled';
    let items: GoogleEvent[] = [];
    for (const { event } of calendar.events.values()) {
      if (!visible(event)) continue;
      const instances = isRecurringMaster(event)
        ? expandInstances(
            event,
            this.exceptionsOf(calendar, event),
            window,
            calendar.timeZone,
          ).filter(visible)
        : null;
      if (query.singleEvents) {
        if (event.recurringEventId) continue;
        if (instances) items.push(...instances);
        else if (overlaps(spanOf(event), query.window)) items.push(event);
      } else if (
        instances ? instances.length > 0 || !query.window : overlaps(spanOf(event), query.window)
      ) {
        items.push(event);
      }
    }
    items = items.filter(
      (e) =>
        (query.updatedMin === null || Date.parse(e.updated ?? '') >= query.updatedMin) &&
        query.privateExtendedProperty.every((pair) => {
          const [key, value] = pair.split('=');
          return e.extendedProperties?.private?.[key!] === value;
        }),
    );
    if (query.orderBy === 'startTime')
      items.sort((a, b) => instantOf(a.start) - instantOf(b.start));
    if (query.orderBy === 'updated')
      items.sort((a, b) => Date.parse(a.updated!) - Date.parse(b.updated!));
    return items.map(shown);
  }

  private instance(calendar: GoogleCalendarState, eventId: string): GoogleEvent | null {
    const cut = eventId.lastIndexOf('_');
    const master = cut > 0 ? calendar.events.get(eventId.slice(0, cut))?.event : undefined;
    if (!master || !isRecurringMaster(master)) return null;
    return (
      expandInstances(master, new Map(), this.bounded(null), calendar.timeZone).find(
        (i) => i.id === eventId,
      ) ?? null
    );
  }

  private exceptionsOf(
    calendar: GoogleCalendarState,
    master: GoogleEvent,
  ): Map<string, GoogleEvent> {
    const result = new Map<string, GoogleEvent>();
    for (const { event } of calendar.events.values())
      if (event.recurringEventId === master.id) result.set(event.id!, event);
    return result;
  }

  private bounded(window: Window | null): Window {
    return window ?? { start: 0, end: this.now() + TWO_YEARS };
  }

  private store(calendar: GoogleCalendarState, event: GoogleEvent): GoogleEvent {
    const seq = ++this.seq;
    const stored = {
      ...event,
      ...(event.attendees ? { attendees: event.attendees.map((a) => asSeenBy(calendar, a)) } : {}),
      etag: `"${seq}"`,
      updated: new Date(this.now()).toISOString(),
    };
    calendar.events.set(stored.id!, { event: stored, seq });
    this.changed(calendar.id);
    return stored;
  }
}

/**
 * A cancelled item keeps only what Google guarantees for it: id, and for an exception
 * `recurringEventId` and `originalStartTime` (events resource, `status`).
 */
function shown(event: GoogleEvent): GoogleEvent {
  if (event.status !== 'cancelled') return event;
  const { kind, etag, id, status, updated, recurringEventId, originalStartTime } = event;
  return recurringEventId
    ? { kind, etag, id, status, updated, recurringEventId, originalStartTime }
    : { kind, etag, id, status, updated };
}

function validateTimes(event: GoogleEvent): void {
  if (!event.start || !(event.start.date || event.start.dateTime))
    throw badRequest('required', 'Missing start time.');
  if (!event.end || !(event.end.date || event.end.dateTime))
    throw badRequest('required', 'Missing end time.');
  if (Boolean(event.start.date) !== Boolean(event.end.date))
    throw badRequest(
      'invalid',
      'Start and end times must either both be date or both be dateTime.',
    );
  const { start, end } = spanOf(event);
  if (Number.isNaN(start) || Number.isNaN(end)) throw badRequest('invalid', 'Bad Request');
  if (end <= start) throw badRequest('timeRangeEmpty', 'The specified time range is empty.');
  if (isRecurringMaster(event) && event.start.dateTime && !event.start.timeZone)
    throw badRequest('required', 'Missing time zone definition for start time.');
  for (const line of event.recurrence ?? []) {
    if (!line.toUpperCase().startsWith('RRULE:')) continue;
    try {
      parseRecurrenceRule(line);
    } catch {
      throw badRequest('invalid', 'Invalid recurrence rule.');
    }
  }
}

function checkEtag(current: GoogleEvent, ifMatch: string | null): void {
  if (ifMatch !== null && ifMatch !== '*' && ifMatch !== current.etag) throw conditionNotMet();
}

function decodeSyncToken(text: string): SyncToken | null {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SyncToken;
    return typeof value.s === 'number' ? value : null;
  } catch {
    return null;
  }
}

function overlaps(span: Window, window: Window | null): boolean {
  return !window || (span.start < window.end && span.end > window.start);
}

type Attendee = NonNullable<GoogleEvent['attendees']>[number];

/**
 * An attendee as this calendar's copy shows it: `self` (read-only) marks the entry that is the
 * calendar itself, and is left out when false as Google does; every attendee has a
 * `responseStatus`, `needsAction` until they answer (events resource, `attendees[]`).
 */
function asSeenBy(calendar: GoogleCalendarState, attendee: Attendee): Attendee {
  const { self: _readOnly, ...rest } = attendee;
  const mine = attendee.email?.toLowerCase() === calendar.id.toLowerCase();
  return {
    ...rest,
    responseStatus: attendee.responseStatus ?? 'needsAction',
    ...(mine ? { self: true } : {}),
  };
}

function withoutServerFields(event: GoogleEvent): GoogleEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const field of FIELDS_SERVER_OWNS) if (field !== 'id') delete copy[field];
  return copy as GoogleEvent;
}

function pick(event: GoogleEvent, fields: string[]): GoogleEvent {
  const source = event as Record<string, unknown>;
  return Object.fromEntries(
    fields.filter((f) => f in source).map((f) => [f, source[f]]),
  ) as GoogleEvent;
}

function raise(error: Error): never {
  throw error;
}
