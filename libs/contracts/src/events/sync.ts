import { z } from 'zod';
import { defineEvent } from '../event-definition';
import type { BusNaming } from '../subjects';
import { id, instant } from './common';

/**
 * A time of an external event: an instant with its offset when the calendar named the zone, else
 * wall-clock as written — `2026-03-10T09:00:00` (floating) or `2026-03-10` (all-day) — to be read
 * in the event's `timeZone`, or in the Pro's zone when that is null; only availability and
 * booking know the Pro's zone.
 */
export const eventTime = z.union([
  // Instants first: most times are instants, and a union's failed branch costs an error object.
  instant,
  z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/),
]);

/** One external event as busy-time needs it; recurring events travel as series with their overrides. */
export const calendarEventUpserted = defineEvent({
  type: 'calendar.event_upserted',
  context: 'sync',
  schemaVersion: 2,
  schema: z.object({
    proId: id,
    calendarId: id,
    eventUid: z.string().min(1).max(1000),
    recurrenceId: eventTime.nullable(),
    start: eventTime,
    end: eventTime,
    allDay: z.boolean(),
    status: z.enum(['confirmed', 'tentative', 'cancelled']),
    transparent: z.boolean(),
    declinedByPro: z.boolean(),
    rrule: z.string().max(2000).nullable(),
    /** Extra instances; `end` null means the series' own length. */
    rdates: z.array(z.object({ start: eventTime, end: eventTime.nullable() })),
    exdates: z.array(eventTime),
    /** IANA zone of the wall-clock times and of the recurrence; null means the Pro's zone. */
    timeZone: z.string().nullable(),
    location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
    bookingId: id.nullable(),
  }),
  upcasters: {
    // v1 had only instants, reading dates and floating times (timeZone null) as UTC, and no RDATEs.
    1: (data) => {
      const v1 = data as {
        start: string;
        end: string;
        allDay: boolean;
        timeZone: string | null;
        recurrenceId: string | null;
        exdates: string[];
      };
      const time = (value: string) =>
        v1.timeZone === null ? new Date(value).toISOString().slice(0, v1.allDay ? 10 : 19) : value;
      return {
        ...v1,
        start: time(v1.start),
        end: time(v1.end),
        recurrenceId: v1.recurrenceId === null ? null : time(v1.recurrenceId),
        exdates: v1.exdates.map(time),
        rdates: [],
      };
    },
  },
  proIdOf: (data) => data.proId,
});

export const calendarEventRemoved = defineEvent({
  type: 'calendar.event_removed',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    calendarId: id,
    eventUid: z.string().min(1),
    recurrenceId: eventTime.nullable(),
  }),
  proIdOf: (data) => data.proId,
});

/** What made a sync run: the poll, a person, a provider's push, a retry, a new connection. */
export const syncCauses = ['schedule', 'manual', 'push', 'retry', 'connected'] as const;
export type SyncCause = (typeof syncCauses)[number];

/** Every completed sync run, changes or not: the audit trail and the calendar's freshness. */
export const calendarSynced = defineEvent({
  type: 'calendar.synced',
  context: 'sync',
  schemaVersion: 2,
  schema: z.object({
    proId: id,
    connectionId: id,
    calendarId: id,
    syncedAt: instant,
    changes: z.number().int().min(0),
    cause: z.enum(syncCauses),
    mode: z.enum(['full', 'delta']),
    /** Items read from the provider in this run. */
    fetched: z.number().int().min(0),
  }),
  upcasters: {
    // v1 was emitted only for runs with changes, by the poll, and did not count reads.
    1: (data) => {
      const v1 = data as { changes: number };
      return { ...v1, cause: 'schedule', mode: 'delta', fetched: v1.changes };
    },
  },
  proIdOf: (data) => data.proId,
});

/** A sync run that failed, with what happens next; the message never holds a secret. */
export const calendarSyncFailed = defineEvent({
  type: 'calendar.sync_failed',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    connectionId: id,
    calendarId: id,
    cause: z.enum(syncCauses),
    errorKind: z.string().min(1).max(64),
    error: z.string().max(2000),
    retryAt: instant.nullable(),
  }),
  proIdOf: (data) => data.proId,
});

export const calendarSyncStateChanged = defineEvent({
  type: 'calendar.sync_state_changed',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    connectionId: id,
    calendarId: id,
    state: z.enum(['ok', 'degraded', 'reauth_required', 'disabled']),
    lastError: z.string().max(2000).nullable(),
  }),
  proIdOf: (data) => data.proId,
});

/** Manual control of a connection's sync, for the audit trail. */
export const connectionSyncControlled = defineEvent({
  type: 'calendar.sync_controlled',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    connectionId: id,
    action: z.enum(['paused', 'resumed', 'sync_requested', 'full_resync_requested']),
  }),
  proIdOf: (data) => data.proId,
});

/** A booking written to (or removed from) the Pro's write-target calendar. */
export const bookingMirrored = defineEvent({
  type: 'calendar.booking_mirrored',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    bookingId: id,
    calendarId: id,
    eventUid: z.string().min(1).max(1000),
    action: z.enum(['created', 'updated', 'deleted', 'restored']),
  }),
  proIdOf: (data) => data.proId,
});

const theirs = z.object({ start: instant, end: instant }).nullable();

/** What happens when the Pro edits or deletes a mirrored booking in their own calendar. */
export const mirroredEditPolicies = ['platform_wins', 'reschedule_request'] as const;

/**
 * The Pro changed a mirrored booking in their calendar: under `platform_wins` the platform's
 * version was put back; under `reschedule_request` the change waits for the booking service.
 */
export const syncConflictRecorded = defineEvent({
  type: 'calendar.sync_conflict_recorded',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    conflictId: id,
    proId: id,
    bookingId: id,
    calendarId: id,
    eventUid: z.string().min(1).max(1000),
    kind: z.enum(['moved', 'deleted']),
    theirs,
    policy: z.enum(mirroredEditPolicies),
  }),
  proIdOf: (data) => data.proId,
});

export const syncConflictResolved = defineEvent({
  type: 'calendar.sync_conflict_resolved',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    conflictId: id,
    proId: id,
    bookingId: id,
    keep: z.enum(['ours', 'theirs']),
    theirs,
  }),
  proIdOf: (data) => data.proId,
});

/**
 * The Pro moved (`requested` is the new time) or deleted (`requested` null) a mirrored booking
 * in their calendar and their policy accepts that as a request: the booking service decides
 * whether to reschedule or cancel; until then the calendar keeps the Pro's version.
 */
export const rescheduleRequested = defineEvent({
  type: 'calendar.reschedule_requested',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    conflictId: id,
    proId: id,
    bookingId: id,
    calendarId: id,
    kind: z.enum(['moved', 'deleted']),
    requested: theirs,
  }),
  proIdOf: (data) => data.proId,
});

/** A Pro's choice of what their calendar edits to mirrored bookings mean. */
export const syncPolicySet = defineEvent({
  type: 'calendar.sync_policy_set',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({ proId: id, mirroredEdits: z.enum(mirroredEditPolicies) }),
  proIdOf: (data) => data.proId,
});

/** An event sync could not read, or read only in part: its UID (else its line) and why. */
const eventProblem = z.object({
  eventUid: z.string().max(1000).nullable(),
  line: z.number().int().min(1).nullable(),
  reason: z.string().min(1).max(1000),
});

/**
 * The events of a calendar that its last sync could not read (or read only in part) differ
 * from the run before: the first 100 and how many there are; an empty list means all is well.
 */
export const calendarEventProblemsChanged = defineEvent({
  type: 'calendar.event_problems_changed',
  context: 'sync',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    connectionId: id,
    calendarId: id,
    problems: z.array(eventProblem).max(100),
    problemCount: z.number().int().min(0),
  }),
  proIdOf: (data) => data.proId,
});

export const syncEvents = [
  calendarEventUpserted,
  calendarEventRemoved,
  calendarSynced,
  calendarSyncFailed,
  calendarSyncStateChanged,
  connectionSyncControlled,
  bookingMirrored,
  syncConflictRecorded,
  syncConflictResolved,
  rescheduleRequested,
  syncPolicySet,
  calendarEventProblemsChanged,
];

/** Request/reply: the connector asks sync for its connections' sync state. */
export const syncStatusSubject = (naming: BusNaming): string =>
  `${naming.prefix ? `${naming.prefix}.` : ''}cs.rpc.sync.status`;

export const syncStatusRpc = {
  request: z.object({ connectionIds: z.array(id).max(200) }),
  reply: z.object({
    calendars: z.array(
      z.object({
        connectionId: id,
        calendarId: id,
        state: z.enum(['ok', 'degraded', 'reauth_required', 'disabled']),
        paused: z.boolean(),
        lastSyncedAt: instant.nullable(),
        lastError: z.string().nullable(),
        /** Events of the last sync that could not be read, or only in part; absent from older senders. */
        problems: z.array(eventProblem).max(100).default([]),
        problemCount: z.number().int().min(0).default(0),
      }),
    ),
  }),
};
