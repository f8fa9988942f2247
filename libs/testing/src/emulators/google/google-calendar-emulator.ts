import {
  type EmulatorReply,
  type EmulatorRequest,
  type RecordedCall,
  bearerToken,
  delay,
  header,
  jsonBody,
  recordCall,
  startEmulatorServer,
} from '../shared/emulator-server';
import { type Fault, FaultQueue } from '../shared/fault-queue';
import { randomToken } from '../shared/random-id';
import { GoogleApiError, badRequest, injectedError, notFound } from './google-errors';
import { type GoogleOAuthClient, GoogleOAuthServer } from './google-oauth';
import {
  type GoogleChannel,
  GooglePushChannels,
  type PushDelivery,
  type WatchRequest,
} from './google-push';
import type { GoogleEvent, Window } from './google-recurrence';
import { type GoogleCalendarSeed, GoogleCalendarStore, type ListQuery } from './google-store';

export type { GoogleEvent } from './google-recurrence';
export type { GoogleCalendarSeed } from './google-store';
export type { GoogleChannel, PushDelivery } from './google-push';

export interface GoogleCalendarEmulatorOptions {
  /** The account's email, also the primary calendar's id. */
  account?: string;
  client?: GoogleOAuthClient;
  /** The emulator's clock, for token and channel expiry and `updated` stamps. */
  now?: () => number;
}

export interface GoogleCalendarEmulator {
  url: string;
  /** Give this as `rootUrl` to `calendar({ version: 'v3', rootUrl })`. */
  rootUrl: string;
  /** For `new auth.OAuth2({ endpoints })`. */
  oauthEndpoints: { oauth2AuthBaseUrl: string; oauth2TokenUrl: string; oauth2RevokeUrl: string };
  client: GoogleOAuthClient;
  account: string;
  addCalendar(seed: GoogleCalendarSeed): void;
  issueAccessToken(scopes?: string[]): string;
  /** The Pro's own edits in Google Calendar: they bump etags, sync state and push like API writes. */
  asUser: {
    insert(calendarId: string, event: GoogleEvent): GoogleEvent;
    patch(calendarId: string, eventId: string, change: GoogleEvent): GoogleEvent;
    delete(calendarId: string, eventId: string): void;
    /** Cancels one instance (`originalStart` as RFC 3339, or a date for all-day series). */
    cancelInstance(calendarId: string, masterId: string, originalStart: string): void;
  };
  /** What Google holds, cancelled events and exceptions included. */
  storedEvents(calendarId: string): GoogleEvent[];
  /** Every sync token issued for the calendar so far answers 410 from now on. */
  expireSyncTokens(calendarId: string): void;
  /** The next `count` API requests answer this status (403/429 quota, 500, 503…). */
  failNext(count: number, status: number, fault?: Omit<Fault, 'status'>): void;
  delayNext(count: number, ms: number): void;
  dropNotifications(count: number): void;
  notificationsSettled(): Promise<void>;
  channels(): GoogleChannel[];
  deliveries: PushDelivery[];
  calls: RecordedCall[];
  revokeConsent(): void;
  expireAccessTokens(): void;
  denyNextConsent(): void;
  stop(): Promise<void>;
}

const MAX_RESULTS = 2500;

/** Google Calendar API v3 and Google's OAuth server, in process, for the official clients. */
export async function startGoogleCalendarEmulator(
  options: GoogleCalendarEmulatorOptions = {},
): Promise<GoogleCalendarEmulator> {
  const now = options.now ?? Date.now;
  const account = options.account ?? 'pro@example.com';
  const client = options.client ?? {
    clientId: 'emulator-client.apps.googleusercontent.com',
    clientSecret: 'emulator-secret',
  };
  const push = new GooglePushChannels(now);
  const store = new GoogleCalendarStore(account, now, (id) => push.changed(id));
  store.addCalendar({ id: account, summary: account, primary: true });
  const oauth = new GoogleOAuthServer(client, now);
  const faults = new FaultQueue();
  const calls: RecordedCall[] = [];
  const pages = new Map<
    string,
    { query: string; items: GoogleEvent[]; nextSyncToken: string | null }
  >();
  let baseUrl = '';

  const page = (
    request: EmulatorRequest,
    compute: () => { items: GoogleEvent[]; nextSyncToken: string | null },
  ) => {
    const maxResults = Number(request.query.get('maxResults') ?? 250);
    if (!Number.isInteger(maxResults) || maxResults < 1)
      throw badRequest('invalid', 'Invalid value for: maxResults');
    const query = queryKey(request);
    const pageToken = request.query.get('pageToken');
    let pending: { items: GoogleEvent[]; nextSyncToken: string | null };
    if (pageToken) {
      const stored = pages.get(pageToken);
      // A page token only continues the query that made it (events.list, `pageToken`).
      if (!stored || stored.query !== query) throw badRequest('invalid', 'Invalid Value');
      pages.delete(pageToken);
      pending = stored;
    } else pending = compute();
    const size = Math.min(maxResults, MAX_RESULTS);
    const items = pending.items.slice(0, size);
    const rest = pending.items.slice(size);
    if (rest.length === 0) return { items, nextSyncToken: pending.nextSyncToken };
    const nextPageToken = randomToken();
    pages.set(nextPageToken, { query, items: rest, nextSyncToken: pending.nextSyncToken });
    return { items, nextPageToken };
  };

  const listEvents = (calendarId: string, request: EmulatorRequest) => {
    const calendar = store.calendar(calendarId);
    const q = request.query;
    const singleEvents = q.get('singleEvents') === 'true';
    const syncToken = q.get('syncToken');
    if (syncToken)
      for (const param of [
        'timeMin',
        'timeMax',
        'orderBy',
        'q',
        'updatedMin',
        'iCalUID',
        'privateExtendedProperty',
        'sharedExtendedProperty',
      ])
        if (q.has(param))
          throw badRequest('invalid', `The ${param} parameter cannot be used with syncToken.`);
    const orderBy = q.get('orderBy');
    if (orderBy === 'startTime' && !singleEvents)
      throw badRequest(
        'invalid',
        'The requested ordering is not available for the particular query.',
      );
    const query: ListQuery = {
      singleEvents,
      showDeleted: q.get('showDeleted') === 'true',
      window: windowOf(q),
      orderBy: orderBy === 'startTime' || orderBy === 'updated' ? orderBy : null,
      updatedMin: q.has('updatedMin') ? timeParam(q, 'updatedMin') : null,
      privateExtendedProperty: q.getAll('privateExtendedProperty'),
      syncToken,
    };
    const result = page(request, () => store.list(calendarId, query));
    return {
      kind: 'calendar#events',
      etag: `"p${now()}"`,
      summary: calendar.summary,
      description: '',
      updated: new Date(now()).toISOString(),
      timeZone: calendar.timeZone,
      accessRole: calendar.accessRole,
      defaultReminders: [],
      ...result,
    };
  };

  const api = async (request: EmulatorRequest, path: string): Promise<EmulatorReply> => {
    const { method } = request;
    const need = method === 'GET' ? 'read' : 'write';
    const access = oauth.allows(bearerToken(request), need);
    if (access === 'unauthenticated')
      throw new GoogleApiError(
        401,
        'authError',
        'Request had invalid authentication credentials.',
        'global',
        {
          'www-authenticate': 'Bearer realm="https://accounts.google.com/"',
        },
      );
    if (access === 'insufficient')
      throw new GoogleApiError(
        403,
        'insufficientPermissions',
        'Request had insufficient authentication scopes.',
      );
    const fault = faults.take();
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault && fault.status > 0)
      throw injectedError(fault.status, fault.reason, fault.retryAfter);

    const ifMatch = header(request, 'if-match');
    const body = () => jsonBody<GoogleEvent>(request);
    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/users/me/calendarList') {
      const items = [...store.calendars.values()].map((c) => ({
        kind: 'calendar#calendarListEntry',
        etag: `"${c.syncEpoch}"`,
        id: c.id,
        summary: c.summary,
        timeZone: c.timeZone,
        backgroundColor: c.backgroundColor,
        accessRole: c.accessRole,
        ...(c.primary ? { primary: true } : {}),
      }));
      return ok({
        kind: 'calendar#calendarList',
        etag: '"list"',
        ...page(request, () => ({ items, nextSyncToken: null })),
      });
    }
    if (method === 'POST' && path === '/channels/stop') {
      const channel = jsonBody<{ id?: string; resourceId?: string }>(request);
      push.stop(channel?.id, channel?.resourceId);
      return { status: 204 };
    }
    if ((m = /^\/calendars\/([^/]+)\/events\/watch$/.exec(path)) && method === 'POST') {
      const calendar = store.calendar(m[1]!);
      const resourceUri = `${baseUrl}/calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events?alt=json`;
      const channel = push.watch(calendar.id, resourceUri, jsonBody<WatchRequest>(request));
      return ok({
        kind: 'api#channel',
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri,
        ...(channel.token !== null ? { token: channel.token } : {}),
        expiration: String(channel.expiration),
      });
    }
    if ((m = /^\/calendars\/([^/]+)\/events$/.exec(path))) {
      if (method === 'GET') return ok(listEvents(m[1]!, request));
      if (method === 'POST') return ok(store.insert(m[1]!, body() ?? {}));
    }
    if ((m = /^\/calendars\/([^/]+)\/events\/([^/]+)\/instances$/.exec(path)) && method === 'GET') {
      const [calendarId, eventId] = [m[1]!, m[2]!];
      const showDeleted = request.query.get('showDeleted') === 'true';
      const window = windowOf(request.query);
      return ok({
        kind: 'calendar#events',
        timeZone: store.calendar(calendarId).timeZone,
        ...page(request, () => ({
          items: store.instances(calendarId, eventId, window, showDeleted),
          nextSyncToken: null,
        })),
      });
    }
    if ((m = /^\/calendars\/([^/]+)\/events\/([^/]+)$/.exec(path))) {
      const [calendarId, eventId] = [m[1]!, m[2]!];
      if (method === 'GET') return ok(store.get(calendarId, eventId));
      if (method === 'PATCH')
        return ok(store.modify(calendarId, eventId, body() ?? {}, ifMatch, false));
      if (method === 'PUT')
        return ok(store.modify(calendarId, eventId, body() ?? {}, ifMatch, true));
      if (method === 'DELETE') {
        store.delete(calendarId, eventId, ifMatch);
        return { status: 204 };
      }
    }
    throw notFound();
  };

  const handle = async (request: EmulatorRequest): Promise<EmulatorReply> => {
    const { method, path } = request;
    if (method === 'GET' && path === '/o/oauth2/v2/auth') return oauth.authorize(request.query);
    if (method === 'POST' && path === '/token')
      return oauth.token(new URLSearchParams(request.body));
    if (method === 'POST' && path === '/revoke')
      return oauth.revoke(
        request.query.get('token') ?? new URLSearchParams(request.body).get('token') ?? '',
      );
    if (!path.startsWith('/calendar/v3/')) return notFound().reply();
    try {
      return await api(request, path.slice('/calendar/v3'.length));
    } catch (error) {
      if (error instanceof GoogleApiError) return error.reply();
      throw error;
    }
  };

  const server = await startEmulatorServer(async (request) => {
    const reply = await handle(request);
    calls.push(recordCall(request, reply.status));
    return reply;
  });
  baseUrl = server.url;

  return {
    url: server.url,
    rootUrl: `${server.url}/`,
    oauthEndpoints: {
      oauth2AuthBaseUrl: `${server.url}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${server.url}/token`,
      oauth2RevokeUrl: `${server.url}/revoke`,
    },
    client,
    account,
    addCalendar: (seed) => void store.addCalendar(seed),
    issueAccessToken: (scopes) => oauth.issueAccessToken(scopes),
    asUser: {
      insert: (calendarId, event) => store.insert(calendarId, event),
      patch: (calendarId, eventId, change) =>
        store.modify(calendarId, eventId, change, null, false),
      delete: (calendarId, eventId) => store.delete(calendarId, eventId, null),
      cancelInstance: (calendarId, masterId, originalStart) => {
        const instance = store
          .instances(calendarId, masterId, null, true)
          .find((i) =>
            i.originalStartTime?.date
              ? i.originalStartTime.date === originalStart
              : Date.parse(i.originalStartTime?.dateTime ?? '') === Date.parse(originalStart),
          );
        if (!instance) throw new Error(`no instance of ${masterId} starts at ${originalStart}`);
        store.delete(calendarId, instance.id!, null);
      },
    },
    storedEvents: (calendarId) =>
      [...store.calendar(calendarId).events.values()].map((s) => s.event),
    expireSyncTokens: (calendarId) => store.expireSyncTokens(calendarId),
    failNext: (count, status, fault = {}) => faults.push(count, { ...fault, status }),
    delayNext: (count, ms) => faults.push(count, { status: 0, delayMs: ms }),
    dropNotifications: (count) => push.dropNext(count),
    notificationsSettled: () => push.settled(),
    channels: () => push.list(),
    deliveries: push.deliveries,
    calls,
    revokeConsent: () => oauth.revokeConsent(),
    expireAccessTokens: () => oauth.expireAccessTokens(),
    denyNextConsent: () => oauth.denyNextConsent(),
    stop: async () => {
      await push.settled();
      await server.close();
    },
  };
}

const ok = (body: unknown): EmulatorReply => ({ status: 200, body });

function queryKey(request: EmulatorRequest): string {
  const params = [...request.query.entries()].filter(
    ([k]) => k !== 'pageToken' && k !== 'maxResults',
  );
  return `${request.path}?${params
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&')}`;
}

function windowOf(q: URLSearchParams): Window | null {
  if (!q.has('timeMin') && !q.has('timeMax')) return null;
  const start = q.has('timeMin') ? timeParam(q, 'timeMin') : 0;
  const end = q.has('timeMax') ? timeParam(q, 'timeMax') : Number.MAX_SAFE_INTEGER;
  if (end <= start) throw badRequest('timeRangeEmpty', 'The specified time range is empty.');
  return { start, end };
}

/** RFC 3339 with a mandatory offset, as the API demands for timeMin/timeMax/updatedMin. */
function timeParam(q: URLSearchParams, name: string): number {
  const text = q.get(name) ?? '';
  const value = /(Z|[+-]\d\d:\d\d)$/i.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(value)) throw badRequest('invalid', `Bad Request`);
  return value;
}
