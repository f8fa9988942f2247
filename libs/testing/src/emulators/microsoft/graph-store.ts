import { localToInstant } from '@cs/ical';
import { randomToken } from '../shared/random-id';
import { dateToLocalMs, graphLocalText, localMsToDate } from '../shared/wall-clock';
import { GraphApiError, invalidRequest, itemNotFound } from './graph-errors';
import { type PatternedRecurrence, occurrencesOf, zoneNamed } from './graph-recurrence';

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

/** What a client sends to create or update an event (a subset of Graph's event resource). */
export interface GraphEventInput {
  subject?: string;
  body?: { contentType: 'text' | 'html'; content: string };
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  isAllDay?: boolean;
  showAs?: ShowAs;
  recurrence?: PatternedRecurrence | null;
  categories?: string[];
  transactionId?: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
  location?: { displayName: string };
}

/** The user's answer to an invitation (responseStatus resource, `response`). */
export type InvitationResponse = 'accepted' | 'declined' | 'tentativelyAccepted' | 'notResponded';

/** A meeting someone else organised, as it sits in the invitee's mailbox. */
export interface Invitation {
  organizer: { name: string; address: string };
  response: InvitationResponse;
}

interface EventRecord {
  id: string;
  /** Set for a meeting received from someone else; unset for the user's own events. */
  invitation?: Invitation;
  calendarId: string;
  type: 'singleInstance' | 'seriesMaster' | 'exception';
  seriesMasterId: string | null;
  originalStart: number | null;
  input: GraphEventInput;
  start: number;
  end: number;
  isAllDay: boolean;
  timeZone: string;
  recurrence: PatternedRecurrence | null;
  /** Original starts of occurrences the Pro deleted. */
  cancelled: Set<number>;
  changeKey: string;
  /** Changes only when the series itself changes, so cancelling one occurrence leaves the others alone. */
  seriesKey: string;
  created: string;
  modified: string;
}

export interface GraphCalendar {
  id: string;
  name: string;
  isDefaultCalendar: boolean;
  canEdit: boolean;
  color: string;
  /** Empty until the user picks a colour of their own (calendar resource, `hexColor`). */
  hexColor: string;
  /** Bumped to make every delta and skip token handed out so far answer 410. */
  syncEpoch: number;
}

export type GraphEvent = Record<string, unknown> & { id: string; '@odata.etag': string };
export type ChangeType = 'created' | 'updated' | 'deleted';

/** The calendars and events of one emulated Microsoft 365 mailbox. */
export class GraphMailboxStore {
  readonly calendars = new Map<string, GraphCalendar>();
  private readonly events = new Map<string, EventRecord>();

  constructor(
    readonly user: { id: string; address: string; name: string },
    private readonly now: () => number,
    private readonly changed: (calendarId: string, eventId: string, change: ChangeType) => void,
  ) {}

  addCalendar(calendar: Partial<GraphCalendar> & { id: string }): GraphCalendar {
    const created: GraphCalendar = {
      name: calendar.id,
      isDefaultCalendar: false,
      canEdit: true,
      color: 'auto',
      hexColor: '',
      syncEpoch: 0,
      ...calendar,
    };
    this.calendars.set(created.id, created);
    return created;
  }

  calendar(id: string | null): GraphCalendar {
    const found =
      id === null
        ? [...this.calendars.values()].find((c) => c.isDefaultCalendar)
        : this.calendars.get(id);
    if (!found) throw itemNotFound();
    return found;
  }

  /** A meeting request from `invitation.organizer` that the user answered as it says. */
  receive(
    calendarId: string | null,
    input: GraphEventInput,
    invitation: Invitation,
  ): GraphEventRef {
    const ref = this.create(calendarId, input);
    ref.record.invitation = invitation;
    return ref;
  }

  create(calendarId: string | null, input: GraphEventInput): GraphEventRef {
    const calendar = this.calendar(calendarId);
    const existing = input.transactionId
      ? [...this.events.values()].find((e) => e.input.transactionId === input.transactionId)
      : undefined;
    // transactionId makes a retried create return the first one instead of a duplicate.
    if (existing) return { record: existing };
    const times = parseTimes(input);
    const key = randomToken(12);
    const at = new Date(this.now()).toISOString();
    const record: EventRecord = {
      id: `AAMkAG${randomToken(30)}`,
      calendarId: calendar.id,
      type: input.recurrence ? 'seriesMaster' : 'singleInstance',
      seriesMasterId: null,
      originalStart: null,
      input,
      ...times,
      recurrence: input.recurrence ?? null,
      cancelled: new Set(),
      changeKey: key,
      seriesKey: key,
      created: at,
      modified: at,
    };
    this.events.set(record.id, record);
    this.changed(calendar.id, record.id, 'created');
    return { record };
  }

  find(eventId: string): GraphEventRef {
    const stored = this.events.get(eventId);
    if (stored) return { record: stored };
    const occurrence = parseOccurrenceId(eventId);
    const master = occurrence ? this.events.get(occurrence.masterId) : undefined;
    if (!master || !occurrence || master.cancelled.has(occurrence.originalStart))
      throw itemNotFound();
    const instant = this.occurrences(master, {
      start: occurrence.originalStart - 1,
      end: occurrence.originalStart + 1,
    }).find((o) => o.originalStart === occurrence.originalStart);
    if (!instant) throw itemNotFound();
    return { record: master, occurrence: instant };
  }

  /** PATCH: an occurrence becomes an exception that keeps the occurrence's id. */
  update(eventId: string, change: GraphEventInput, ifMatch: string | null): GraphEventRef {
    const ref = this.find(eventId);
    checkEtag(ref, ifMatch);
    const base = ref.occurrence
      ? this.occurrenceAsException(ref.record, ref.occurrence, eventId)
      : ref.record;
    const input = { ...base.input, ...change };
    const times =
      change.start || change.end || change.isAllDay !== undefined ? parseTimes(input) : {};
    const key = randomToken(12);
    const next: EventRecord = {
      ...base,
      ...times,
      input,
      recurrence: base.type === 'seriesMaster' ? (input.recurrence ?? base.recurrence) : null,
      changeKey: key,
      seriesKey: base.type === 'seriesMaster' ? key : base.seriesKey,
      modified: new Date(this.now()).toISOString(),
    };
    this.events.set(next.id, next);
    this.changed(next.calendarId, next.id, 'updated');
    return { record: next };
  }

  delete(eventId: string, ifMatch: string | null): void {
    const ref = this.find(eventId);
    checkEtag(ref, ifMatch);
    const { record } = ref;
    if (ref.occurrence) {
      record.cancelled.add(ref.occurrence.originalStart);
      this.changed(record.calendarId, record.id, 'updated');
      return;
    }
    if (record.type === 'exception') {
      this.master(record).cancelled.add(record.originalStart!);
    }
    this.events.delete(record.id);
    if (record.type === 'seriesMaster')
      for (const e of [...this.events.values()])
        if (e.seriesMasterId === record.id) this.events.delete(e.id);
    this.changed(record.calendarId, record.id, 'deleted');
  }

  /** What `calendarView` shows: single events, occurrences and exceptions, never masters. */
  view(calendarId: string, window: { start: number; end: number }): GraphEventRef[] {
    const result: GraphEventRef[] = [];
    for (const record of this.events.values()) {
      if (record.calendarId !== calendarId) continue;
      if (record.type === 'seriesMaster') {
        const replaced = new Set(
          [...this.events.values()]
            .filter((e) => e.seriesMasterId === record.id)
            .map((e) => e.originalStart),
        );
        for (const occurrence of this.occurrences(record, window))
          if (
            !replaced.has(occurrence.originalStart) &&
            !record.cancelled.has(occurrence.originalStart)
          )
            result.push({ record, occurrence });
      } else if (record.start < window.end && record.end > window.start) result.push({ record });
    }
    return result.sort((a, b) => startOf(a) - startOf(b));
  }

  /**
   * An event as Graph sends it. Extended properties come back only when asked for by id with
   * `$expand=singleValueExtendedProperties($filter=id eq '…')`, "the only way to get" them
   * (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get); `'all'`
   * is for a test reading the store, never for an API answer.
   */
  render(
    ref: GraphEventRef,
    zoneName: string | null,
    expanded: readonly string[] | 'all' = [],
  ): GraphEvent {
    const { record, occurrence } = ref;
    const zone = zoneNamed(zoneName ?? 'UTC');
    const label = zone && zoneName ? zoneName : 'UTC';
    const at = (instant: number) => ({
      dateTime: record.isAllDay
        ? `${localMsToDate(instant)}T00:00:00.0000000`
        : graphLocalText(zone ?? zoneNamed('UTC')!, instant),
      timeZone: label,
    });
    const id = occurrence ? occurrenceId(record.id, occurrence.originalStart) : record.id;
    const changeKey = occurrence ? record.seriesKey : record.changeKey;
    const type = occurrence ? 'occurrence' : record.type;
    const { input } = record;
    return {
      '@odata.etag': `W/"${changeKey}"`,
      id,
      createdDateTime: record.created,
      lastModifiedDateTime: record.modified,
      changeKey,
      categories: input.categories ?? [],
      transactionId: input.transactionId ?? null,
      originalStartTimeZone: record.timeZone,
      originalEndTimeZone: record.timeZone,
      iCalUId: `040000008200E00074C5B7101A82E008${Buffer.from(record.seriesMasterId ?? record.id)
        .toString('hex')
        .slice(0, 32)}`,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      subject: input.subject ?? '',
      bodyPreview: input.body?.content ?? '',
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: record.isAllDay,
      isCancelled: false,
      isOrganizer: !record.invitation,
      // The mailbox owner's own answer; the organizer's is 'organizer' (responseStatus resource).
      responseStatus: {
        response: record.invitation?.response ?? 'organizer',
        time: record.invitation ? record.modified : '0001-01-01T00:00:00Z',
      },
      showAs: input.showAs ?? 'busy',
      type,
      seriesMasterId: occurrence ? record.id : record.seriesMasterId,
      ...(occurrence || record.type === 'exception'
        ? {
            originalStart: new Date(
              occurrence?.originalStart ?? record.originalStart!,
            ).toISOString(),
          }
        : {}),
      start: at(occurrence?.start ?? record.start),
      end: at(occurrence?.end ?? record.end),
      location: input.location ?? { displayName: '' },
      recurrence: type === 'seriesMaster' ? record.recurrence : null,
      organizer: { emailAddress: record.invitation?.organizer ?? this.user },
      attendees: record.invitation
        ? [
            {
              type: 'required',
              status: { response: record.invitation.response, time: record.modified },
              emailAddress: { name: this.user.name, address: this.user.address },
            },
          ]
        : [],
      ...extendedProperties(input, expanded),
    };
  }

  stored(calendarId: string): GraphEvent[] {
    return [...this.events.values()]
      .filter((record) => record.calendarId === calendarId)
      .map((record) => this.render({ record }, null, 'all'));
  }

  expireDeltaTokens(calendarId: string): void {
    this.calendar(calendarId).syncEpoch++;
  }

  private occurrences(master: EventRecord, window: { start: number; end: number }) {
    return occurrencesOf(
      master.recurrence!,
      master.start,
      master.end,
      zoneNamed(master.timeZone)!,
      master.isAllDay,
      window,
    );
  }

  private master(record: EventRecord): EventRecord {
    return this.events.get(record.seriesMasterId!) ?? record;
  }

  private occurrenceAsException(
    master: EventRecord,
    occurrence: Occurrence,
    id: string,
  ): EventRecord {
    return {
      ...master,
      id,
      type: 'exception',
      seriesMasterId: master.id,
      originalStart: occurrence.originalStart,
      start: occurrence.start,
      end: occurrence.end,
      recurrence: null,
      cancelled: new Set(),
      input: { ...master.input, recurrence: null },
    };
  }
}

interface Occurrence {
  start: number;
  end: number;
  originalStart: number;
}

export interface GraphEventRef {
  record: EventRecord;
  /** Set when the ref is a generated occurrence of `record`, a series master. */
  occurrence?: Occurrence;
}

export function refId(ref: GraphEventRef): string {
  return ref.occurrence ? occurrenceId(ref.record.id, ref.occurrence.originalStart) : ref.record.id;
}

export function refChangeKey(ref: GraphEventRef): string {
  return ref.occurrence ? `${ref.record.seriesKey}` : ref.record.changeKey;
}

function startOf(ref: GraphEventRef): number {
  return ref.occurrence?.start ?? ref.record.start;
}

/** Occurrence ids are opaque to clients; here they carry their master and original start. */
function occurrenceId(masterId: string, originalStart: number): string {
  return `${masterId}_OID_${originalStart.toString(36)}`;
}

function parseOccurrenceId(id: string): { masterId: string; originalStart: number } | null {
  const match = /^(.+)_OID_([0-9a-z]+)$/.exec(id);
  return match ? { masterId: match[1]!, originalStart: parseInt(match[2]!, 36) } : null;
}

function extendedProperties(input: GraphEventInput, expanded: readonly string[] | 'all') {
  const properties = (input.singleValueExtendedProperties ?? []).filter(
    (p) => expanded === 'all' || expanded.includes(p.id),
  );
  return properties.length > 0 ? { singleValueExtendedProperties: properties } : {};
}

/** The property ids a request expands (`$expand=singleValueExtendedProperties($filter=id eq '…')`). */
export function expandedPropertyIds(query: URLSearchParams): string[] {
  const expand = query.get('$expand') ?? '';
  return [...expand.matchAll(/singleValueExtendedProperties\(\$filter=id eq '([^']+)'\)/gi)].map(
    (m) => m[1]!,
  );
}

function checkEtag(ref: GraphEventRef, ifMatch: string | null): void {
  if (ifMatch === null || ifMatch === '*') return;
  if (ifMatch !== `W/"${refChangeKey(ref)}"` && ifMatch !== `"${refChangeKey(ref)}"`)
    throw new GraphApiError(
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    );
}

function parseTimes(input: GraphEventInput) {
  if (!input.start?.dateTime || !input.end?.dateTime)
    throw invalidRequest('Start and End are required.');
  const zone = zoneNamed(input.start.timeZone);
  const endZone = zoneNamed(input.end.timeZone);
  if (!zone || !endZone)
    throw new GraphApiError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified.`,
    );
  const isAllDay = input.isAllDay ?? false;
  const local = (text: string) => Date.parse(`${text.replace(/Z$/, '').slice(0, 19)}Z`);
  let start: number;
  let end: number;
  if (isAllDay) {
    const midnight = (text: string) => /T00:00:00(\.0+)?$/.test(text.replace(/Z$/, ''));
    if (!midnight(input.start.dateTime) || !midnight(input.end.dateTime))
      throw invalidRequest('The start and end of an all-day event must be at midnight.');
    start = dateToLocalMs(input.start.dateTime.slice(0, 10));
    end = dateToLocalMs(input.end.dateTime.slice(0, 10));
  } else {
    start = localToInstant(zone, local(input.start.dateTime));
    end = localToInstant(endZone, local(input.end.dateTime));
  }
  if (Number.isNaN(start) || Number.isNaN(end)) throw invalidRequest('Invalid date and time.');
  if (end < start) throw invalidRequest('The end time must be after the start time.');
  return { start, end, isAllDay, timeZone: input.start.timeZone };
}
