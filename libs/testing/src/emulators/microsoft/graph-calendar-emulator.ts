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
import { loopbackCertificate } from './emulator-certificate';
import { type EntraClient, EntraOAuthServer } from './entra-oauth';
import { GraphDeltaRounds } from './graph-delta';
import { GraphApiError, itemNotFound, throttled } from './graph-errors';
import {
  expandedPropertyIds,
  type GraphCalendar,
  type GraphEventInput,
  type Invitation,
  GraphMailboxStore,
  type GraphEvent,
} from './graph-store';
import {
  type GraphDelivery,
  type GraphSubscription,
  GraphSubscriptions,
  type LifecycleEvent,
  type SubscriptionRequest,
} from './graph-subscriptions';

export type { GraphEventInput, GraphEvent, Invitation, ShowAs } from './graph-store';
export type { PatternedRecurrence } from './graph-recurrence';
export type { GraphSubscription, GraphDelivery, LifecycleEvent } from './graph-subscriptions';

export interface GraphCalendarEmulatorOptions {
  client?: EntraClient;
  tenantId?: string;
  user?: { id: string; address: string; name: string };
  now?: () => number;
  /** Graph allows 4 concurrent requests per app and mailbox; the fifth gets 429. */
  mailboxConcurrency?: number;
  /** How long a notification endpoint has to echo the validation token (10 s at Graph). */
  validationTimeoutMs?: number;
  /** Delta page size when the client sends no `Prefer: odata.maxpagesize`. */
  defaultPageSize?: number;
}

export interface GraphCalendarEmulator {
  /** https://127.0.0.1:<port>; Graph lives under `${url}/v1.0`. */
  url: string;
  graphUrl: string;
  /** PEM of the emulator's self-signed certificate: trust it as a CA. */
  ca: string;
  client: EntraClient;
  tenantId: string;
  user: { id: string; address: string; name: string };
  /** `auth` options for MSAL that keep it from any discovery call. */
  msalAuth: {
    clientId: string;
    clientSecret: string;
    authority: string;
    knownAuthorities: string[];
    authorityMetadata: string;
    cloudDiscoveryMetadata: string;
  };
  addCalendar(calendar: Partial<GraphCalendar> & { id: string }): void;
  issueAccessToken(): string;
  /** The Pro's own edits in Outlook: they change etags, delta results and notify like API writes. */
  asUser: {
    create(calendarId: string | null, event: GraphEventInput): GraphEvent;
    /** An invitation from someone else lands in the mailbox, answered by the user. */
    receive(calendarId: string | null, event: GraphEventInput, invitation: Invitation): GraphEvent;
    update(eventId: string, change: GraphEventInput): GraphEvent;
    delete(eventId: string): void;
    /** Occurrences (and exceptions) of the calendar in a window, as calendarView lists them. */
    view(calendarId: string | null, start: string, end: string): GraphEvent[];
  };
  /** What the mailbox holds (series masters, exceptions and singles), extended properties included. */
  storedEvents(calendarId: string | null): GraphEvent[];
  /** Every delta and skip token of the calendar handed out so far answers 410 from now on. */
  expireDeltaTokens(calendarId: string | null): void;
  failNext(count: number, status: number, fault?: Omit<Fault, 'status'>): void;
  delayNext(count: number, ms: number): void;
  dropNotifications(count: number): void;
  lifecycle(subscriptionId: string, event: LifecycleEvent): void;
  notificationsSettled(): Promise<void>;
  subscriptions(): GraphSubscription[];
  deliveries: GraphDelivery[];
  calls: RecordedCall[];
  revokeConsent(): void;
  expireAccessTokens(): void;
  stop(): Promise<void>;
}

/** Microsoft Graph's calendar API and Entra ID's token endpoints over HTTPS, in process. */
export async function startGraphCalendarEmulator(
  options: GraphCalendarEmulatorOptions = {},
): Promise<GraphCalendarEmulator> {
  const now = options.now ?? Date.now;
  const client = options.client ?? {
    clientId: '8f3c1a52-emulator-client',
    clientSecret: 'emulator-secret',
  };
  const tenantId = options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const user = options.user ?? {
    id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
    address: 'pro@contoso.example',
    name: 'Pro',
  };
  const limit = options.mailboxConcurrency ?? 4;
  let base = '';
  const subscriptions = new GraphSubscriptions(
    now,
    tenantId,
    user.id,
    options.validationTimeoutMs ?? 10_000,
  );
  const store: GraphMailboxStore = new GraphMailboxStore(user, now, (calendarId, eventId, change) =>
    subscriptions.changed(
      calendarId,
      store.calendar(calendarId).isDefaultCalendar,
      eventId,
      change,
    ),
  );
  store.addCalendar({ id: 'AAMkCalendarDefault', name: 'Calendar', isDefaultCalendar: true });
  const delta = new GraphDeltaRounds(store);
  const oauth = new EntraOAuthServer(client, tenantId, user, () => base, now);
  const faults = new FaultQueue();
  const calls: RecordedCall[] = [];
  let inFlight = 0;

  const api = async (request: EmulatorRequest, path: string): Promise<EmulatorReply> => {
    const access = oauth.valid(bearerToken(request));
    if (access !== 'ok')
      throw new GraphApiError(
        401,
        'InvalidAuthenticationToken',
        access === 'expired'
          ? 'Lifetime validation failed, the token is expired.'
          : 'IDX14100: JWT is not well formed.',
      );
    const fault = faults.take();
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault && fault.status === 429)
      throw throttled(fault.retryAfter ?? 1, fault.reason ?? 'TooManyRequests');
    if (fault && fault.status > 0)
      throw new GraphApiError(
        fault.status,
        fault.reason ?? 'UnknownError',
        'Injected failure',
        retryAfter(fault),
      );

    const prefer = preferences(request);
    const zone = prefer.timezone;
    const rendered = (status: number, body: unknown): EmulatorReply => ({
      status,
      body,
      headers: zone ? { 'preference-applied': `outlook.timezone="${zone}"` } : {},
    });
    const ifMatch = header(request, 'if-match');
    const { method } = request;
    const me = path.replace(/^\/users\/[^/]+/i, '/me');
    let m: RegExpExecArray | null;

    if (method === 'GET' && me === '/me/calendars')
      return rendered(200, {
        '@odata.context': `${base}/v1.0/$metadata#users('${user.id}')/calendars`,
        value: [...store.calendars.values()].map(calendarJson),
      });
    if (method === 'GET' && me === '/me/calendar')
      return rendered(200, calendarJson(store.calendar(null)));
    if ((m = /^\/me(?:\/calendars\/([^/]+))?\/calendarView\/delta$/.exec(me)) && method === 'GET') {
      const calendarId = store.calendar(m[1] ?? null).id;
      const page = delta.page(
        calendarId,
        request.query,
        zone,
        prefer.pageSize ?? options.defaultPageSize ?? 10,
        (token) => {
          const link = `${base}/v1.0${path}`;
          return token.skip
            ? `${link}?$skiptoken=${token.skip}`
            : `${link}?$deltatoken=${token.delta}`;
        },
      );
      return rendered(200, {
        '@odata.context': `${base}/v1.0/$metadata#Collection(event)`,
        ...page,
      });
    }
    if ((m = /^\/me(?:\/calendars\/([^/]+))?\/calendarView$/.exec(me)) && method === 'GET') {
      const calendarId = store.calendar(m[1] ?? null).id;
      const start = Date.parse(request.query.get('startDateTime') ?? '');
      const end = Date.parse(request.query.get('endDateTime') ?? '');
      if (Number.isNaN(start) || Number.isNaN(end))
        throw new GraphApiError(
          400,
          'ErrorInvalidParameter',
          'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        );
      return rendered(200, {
        value: store
          .view(calendarId, { start, end })
          .map((ref) => store.render(ref, zone, expandedPropertyIds(request.query))),
      });
    }
    if ((m = /^\/me(?:\/calendars\/([^/]+))?\/events$/.exec(me)) && method === 'POST') {
      const body = jsonBody<GraphEventInput>(request) ?? {};
      return rendered(201, store.render(store.create(m[1] ?? null, body), zone));
    }
    if ((m = /^\/me(?:\/calendars\/[^/]+)?\/events\/([^/]+)$/.exec(me))) {
      const eventId = m[1]!;
      if (method === 'GET')
        return rendered(
          200,
          store.render(store.find(eventId), zone, expandedPropertyIds(request.query)),
        );
      if (method === 'PATCH')
        return rendered(
          200,
          store.render(
            store.update(eventId, jsonBody<GraphEventInput>(request) ?? {}, ifMatch),
            zone,
          ),
        );
      if (method === 'DELETE') {
        store.delete(eventId, ifMatch);
        return { status: 204 };
      }
    }
    if (path === '/subscriptions' && method === 'POST')
      return {
        status: 201,
        body: subscriptionJson(
          client.clientId,
          user.id,
          await subscriptions.create(jsonBody<SubscriptionRequest>(request)),
        ),
      };
    if (path === '/subscriptions' && method === 'GET')
      return {
        status: 200,
        body: {
          value: subscriptions.list().map((s) => subscriptionJson(client.clientId, user.id, s)),
        },
      };
    if ((m = /^\/subscriptions\/([^/]+)$/.exec(path))) {
      const id = m[1]!;
      if (method === 'GET')
        return {
          status: 200,
          body: subscriptionJson(client.clientId, user.id, subscriptions.get(id)),
        };
      if (method === 'PATCH')
        return {
          status: 200,
          body: subscriptionJson(
            client.clientId,
            user.id,
            subscriptions.renew(id, jsonBody<SubscriptionRequest>(request)?.expirationDateTime),
          ),
        };
      if (method === 'DELETE') {
        subscriptions.remove(id);
        return { status: 204 };
      }
    }
    throw new GraphApiError(
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`,
    );
  };

  const identity = (request: EmulatorRequest): EmulatorReply | null => {
    const { method, path } = request;
    if (method === 'GET' && /^\/[^/]+\/discovery\/instance$/.test(path))
      return { status: 200, body: oauth.instanceDiscovery() };
    const m =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/token)$/.exec(
        path,
      );
    if (!m) return null;
    if (m[1] !== tenantId && !['common', 'organizations'].includes(m[1]!))
      return {
        status: 400,
        body: {
          error: 'invalid_tenant',
          error_description: `AADSTS90002: Tenant '${m[1]}' not found.`,
        },
      };
    if (method === 'GET' && m[2]!.endsWith('openid-configuration'))
      return { status: 200, body: oauth.openidConfiguration() };
    if (method === 'GET' && m[2]!.endsWith('authorize')) return oauth.authorize(request.query);
    if (method === 'POST' && m[2]!.endsWith('token'))
      return oauth.token(new URLSearchParams(request.body));
    return null;
  };

  const handle = async (request: EmulatorRequest): Promise<EmulatorReply> => {
    const signIn = identity(request);
    if (signIn) return signIn;
    if (!request.path.startsWith('/v1.0/')) return itemNotFound().reply();
    inFlight++;
    try {
      // Counted before any work, so a sixth request while five are slow is refused at once.
      if (inFlight > limit)
        throw throttled(
          1,
          'ApplicationThrottled',
          'Application is over its MailboxConcurrency limit.',
        );
      return await api(request, request.path.slice('/v1.0'.length));
    } catch (error) {
      if (error instanceof GraphApiError) return error.reply();
      throw error;
    } finally {
      inFlight--;
    }
  };

  const tls = await loopbackCertificate();
  const server = await startEmulatorServer(async (request) => {
    const reply = await handle(request);
    calls.push(recordCall(request, reply.status));
    return reply;
  }, tls);
  base = server.url;

  const view = (calendarId: string | null, start: string, end: string) => {
    const id = store.calendar(calendarId).id;
    return store
      .view(id, { start: Date.parse(start), end: Date.parse(end) })
      .map((ref) => store.render(ref, null));
  };

  return {
    url: server.url,
    graphUrl: `${server.url}/v1.0`,
    ca: tls.cert,
    client,
    tenantId,
    user,
    msalAuth: {
      ...client,
      authority: oauth.authority,
      knownAuthorities: [new URL(server.url).host],
      authorityMetadata: JSON.stringify(oauth.openidConfiguration()),
      cloudDiscoveryMetadata: JSON.stringify(oauth.instanceDiscovery()),
    },
    addCalendar: (calendar) => void store.addCalendar(calendar),
    issueAccessToken: () => oauth.issueAccessToken(),
    asUser: {
      create: (calendarId, event) => store.render(store.create(calendarId, event), null),
      receive: (calendarId, event, invitation) =>
        store.render(store.receive(calendarId, event, invitation), null),
      update: (eventId, change) => store.render(store.update(eventId, change, null), null),
      delete: (eventId) => store.delete(eventId, null),
      view,
    },
    storedEvents: (calendarId) => store.stored(store.calendar(calendarId).id),
    expireDeltaTokens: (calendarId) => store.expireDeltaTokens(store.calendar(calendarId).id),
    failNext: (count, status, fault = {}) => faults.push(count, { ...fault, status }),
    delayNext: (count, ms) => faults.push(count, { status: 0, delayMs: ms }),
    dropNotifications: (count) => subscriptions.dropNext(count),
    lifecycle: (id, event) => subscriptions.lifecycle(id, event),
    notificationsSettled: () => subscriptions.settled(),
    subscriptions: () => subscriptions.list(),
    deliveries: subscriptions.deliveries,
    calls,
    revokeConsent: () => oauth.revokeConsent(),
    expireAccessTokens: () => oauth.expireAccessTokens(),
    stop: async () => {
      await subscriptions.settled();
      await server.close();
    },
  };
}

function preferences(request: EmulatorRequest): {
  timezone: string | null;
  pageSize: number | null;
} {
  const raw = request.headers.prefer;
  const text = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  const timezone = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(text)?.[1] ?? null;
  const size = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(text)?.[1];
  return { timezone, pageSize: size ? Number(size) : null };
}

function retryAfter(fault: Fault): Record<string, string> {
  return fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
}

function calendarJson(calendar: GraphCalendar) {
  return {
    id: calendar.id,
    name: calendar.name,
    color: calendar.color,
    hexColor: calendar.hexColor,
    isDefaultCalendar: calendar.isDefaultCalendar,
    changeKey: String(calendar.syncEpoch),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: calendar.canEdit,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !calendar.isDefaultCalendar,
  };
}

function subscriptionJson(
  applicationId: string,
  creatorId: string,
  subscription: GraphSubscription,
) {
  const { calendarId: _calendar, ...visible } = subscription;
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
    ...visible,
    applicationId,
    creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    notificationUrlAppId: null,
  };
}
