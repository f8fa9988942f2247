import { z } from 'zod';
import { defineEvent } from '../event-definition';
import type { BusNaming } from '../subjects';
import { id } from './common';

export const providers = ['google', 'microsoft', 'caldav', 'ics', 'calendly'] as const;
export const providerSchema = z.enum(providers);

const calendar = z.object({
  calendarId: id,
  name: z.string().max(500),
  busySource: z.boolean(),
  writeTarget: z.boolean(),
  allDayBlocks: z.boolean(),
  /** The provider's colour (`#RRGGBB`), when it has one. */
  color: z.string().max(50).nullable().optional(),
  /** Whether the platform may write bookings into it. */
  writable: z.boolean().optional(),
});

/** Connection events never carry credentials: those stay encrypted in the connector's own tables. */
export const connectionCreated = defineEvent({
  type: 'connection.created',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({
    connectionId: id,
    proId: id,
    provider: providerSchema,
    status: z.enum(['active', 'pending_authorization']),
    /**
     * The server a feed or CalDAV connection talks to (`host[:port]`), so sync can keep one
     * slow server from holding up the others; absent where the provider is one API.
     */
    host: z.string().min(1).max(300).optional(),
  }),
  proIdOf: (data) => data.proId,
});

export const connectionCalendarsChanged = defineEvent({
  type: 'connection.calendars_changed',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({ connectionId: id, proId: id, calendars: z.array(calendar) }),
  proIdOf: (data) => data.proId,
});

export const connectionReauthRequired = defineEvent({
  type: 'connection.reauth_required',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({ connectionId: id, proId: id, reason: z.string().max(500) }),
  proIdOf: (data) => data.proId,
});

/** The Pro consented at the provider; the pending connection is active. */
export const connectionAuthorized = defineEvent({
  type: 'connection.authorized',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({ connectionId: id, proId: id, provider: providerSchema }),
  proIdOf: (data) => data.proId,
});

export const connectionRemoved = defineEvent({
  type: 'connection.removed',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({ connectionId: id, proId: id }),
  proIdOf: (data) => data.proId,
});

/**
 * A provider told us a calendar changed (a Google channel, a Graph subscription, a Calendly
 * webhook), that some of its notifications were lost (`missed`), or a channel was just opened
 * (`subscribed`): sync reads it now instead of at the next poll. Carries no token, signature or payload of the provider's.
 */
export const calendarChangeNotified = defineEvent({
  type: 'calendar.change_notified',
  context: 'connector',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    connectionId: id,
    calendarId: id,
    provider: providerSchema,
    /** `subscribed`: a push channel was just opened or renewed; what came before it is read now. */
    reason: z.enum(['changed', 'missed', 'webhook', 'subscribed']),
  }),
  proIdOf: (data) => data.proId,
});

export const connectorEvents = [
  connectionCreated,
  connectionCalendarsChanged,
  connectionReauthRequired,
  connectionRemoved,
  connectionAuthorized,
  calendarChangeNotified,
];

/**
 * Request/reply between sync and connector: sync never holds credentials, so it asks the
 * connector to list, fetch and write a calendar's items (vdirsyncer's four verbs).
 */
export const connectorRequests = ['list', 'fetch', 'write', 'remove'] as const;
export type ConnectorRequest = (typeof connectorRequests)[number];

export const connectorRequestSubject = (naming: BusNaming, verb: ConnectorRequest): string =>
  `${naming.prefix ? `${naming.prefix}.` : ''}cs.rpc.connector.${verb}`;

const calendarRef = { connectionId: id, calendarId: id };
const item = z.object({ href: z.string().min(1), etag: z.string().nullable() });

export const providerErrorKinds = [
  'auth_revoked',
  'rate_limited',
  'not_found',
  'precondition_failed',
  'transient',
  'unsupported',
  'invalid_data',
  /** The provider did not connect or answer within its deadline. */
  'timeout',
] as const;
export const providerErrorSchema = z.object({
  kind: z.enum(providerErrorKinds),
  message: z.string().max(2000),
  retryAfterMs: z.number().int().min(0).nullable(),
});

export const connectorRpc = {
  list: {
    request: z.object({ ...calendarRef, cursor: z.string().nullable() }),
    /** `full`: every item is listed, so a known href not listed is gone; `delta`: only changes. */
    reply: z.object({
      kind: z.enum(['full', 'delta']),
      items: z.array(item),
      removed: z.array(z.string()),
      cursor: z.string().nullable(),
    }),
  },
  fetch: {
    request: z.object({ ...calendarRef, hrefs: z.array(z.string()).max(200) }),
    reply: z.object({
      items: z.array(item.extend({ data: z.string() })),
      /**
       * The calendar owner's addresses (cal-addresses, `mailto:` or not): an ATTENDEE with one
       * of them is the Pro, whose PARTSTAT=DECLINED frees the time. Absent from older senders.
       */
      owner: z.array(z.string().max(320)).max(50).default([]),
    }),
  },
  write: {
    request: z.object({
      ...calendarRef,
      /** null: a new resource, named after the UID and created with `If-None-Match: *`. */
      href: z.string().nullable(),
      uid: z.string().min(1),
      data: z.string(),
      ifMatch: z.string().nullable(),
    }),
    reply: item,
  },
  remove: {
    request: z.object({ ...calendarRef, href: z.string(), ifMatch: z.string().nullable() }),
    reply: z.object({}),
  },
} as const;

/** A reply is the verb's result or a typed provider error the caller can act on. */
export const connectorReplySchema = <T extends z.ZodTypeAny>(result: T) =>
  z.union([
    z.object({ ok: z.literal(true), result }),
    z.object({ ok: z.literal(false), error: providerErrorSchema }),
  ]);
