import { randomBytes, randomUUID } from 'node:crypto';
import {
  type EmulatorReply,
  type EmulatorRequest,
  type RecordedCall,
  bearerToken,
  delay,
  jsonBody,
  recordCall,
  startEmulatorServer,
} from '../shared/emulator-server';
import { type Fault, FaultQueue } from '../shared/fault-queue';
import { CalendlyApiError, injectedError, notFound, unauthenticated } from './calendly-errors';
import {
  type CalendlyDelivery,
  type CalendlyWebhookSubscription,
  CalendlyWebhooks,
  type SubscriptionRequest,
} from './calendly-webhooks';

export type { CalendlyDelivery, CalendlyWebhookSubscription } from './calendly-webhooks';

export interface CalendlyEmulatorOptions {
  name?: string;
  email?: string;
  /** The clock of `created_at` stamps and signature timestamps. */
  now?: () => number;
}

/** A booking made through the emulator, to cancel or inspect later. */
export interface CalendlyBooking {
  eventUri: string;
  inviteeUri: string;
}

export interface CalendlyEmulator {
  url: string;
  /** Give this as the API root (`https://api.calendly.com` at Calendly). */
  apiRoot: string;
  /** A personal access token of the account. */
  token: string;
  user: { uri: string; name: string; email: string; organization: string };
  /** People booking the account's event types: each change is delivered to the webhooks. */
  asInvitee: {
    book(slot: { start: string; end: string; name?: string }): CalendlyBooking;
    cancel(booking: CalendlyBooking): void;
  };
  /** Sends a delivery again (same body, fresh signature), as Calendly retries; the status it got. */
  redeliver(delivery: CalendlyDelivery): Promise<number | null>;
  dropNotifications(count: number): void;
  notificationsSettled(): Promise<void>;
  subscriptions(): CalendlyWebhookSubscription[];
  deliveries: CalendlyDelivery[];
  calls: RecordedCall[];
  failNext(count: number, status: number, fault?: Omit<Fault, 'status'>): void;
  /** The Pro deletes the token: every call answers 401 from now on. */
  revokeToken(): void;
  stop(): Promise<void>;
}

/** Calendly's resource ids: 16 upper-case letters and digits. */
const calendlyId = () =>
  [...randomBytes(16)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 36]).join('');

/**
 * Calendly's API v2 for one account with a personal access token, in process: `GET /users/me`,
 * webhook subscriptions (create, list, get, delete) and signed `invitee.created` /
 * `invitee.canceled` deliveries whose payload carries the scheduled event
 * (https://developer.calendly.com/api-docs).
 */
export async function startCalendlyEmulator(
  options: CalendlyEmulatorOptions = {},
): Promise<CalendlyEmulator> {
  const now = options.now ?? Date.now;
  let baseUrl = '';
  let token: string | null = `pat_${randomUUID()}`;
  const issued = token;
  const ids = { user: calendlyId(), organization: calendlyId(), eventType: calendlyId() };
  const user = () => ({
    uri: `${baseUrl}/users/${ids.user}`,
    name: options.name ?? 'Pro Calendly',
    email: options.email ?? 'pro@example.com',
    organization: `${baseUrl}/organizations/${ids.organization}`,
  });
  const webhooks = new CalendlyWebhooks(
    () => ({ baseUrl, user: user().uri, organization: user().organization }),
    now,
  );
  const faults = new FaultQueue();
  const calls: RecordedCall[] = [];
  const events = new Map<string, Record<string, unknown>>();

  const api = async (request: EmulatorRequest): Promise<EmulatorReply> => {
    if (token === null || bearerToken(request) !== token) throw unauthenticated();
    const fault = faults.take();
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault && fault.status > 0) throw injectedError(fault.status, fault.retryAfter);
    const { method, path } = request;
    const me = user();
    if (method === 'GET' && path === '/users/me')
      return ok({
        resource: {
          uri: me.uri,
          name: me.name,
          slug: 'pro-calendly',
          email: me.email,
          scheduling_url: 'https://calendly.com/pro-calendly',
          timezone: 'Europe/Amsterdam',
          avatar_url: null,
          created_at: new Date(0).toISOString(),
          updated_at: new Date(0).toISOString(),
          current_organization: me.organization,
        },
      });
    if (method === 'POST' && path === '/webhook_subscriptions')
      return {
        status: 201,
        body: { resource: webhooks.create(jsonBody<SubscriptionRequest>(request)) },
      };
    if (method === 'GET' && path === '/webhook_subscriptions') {
      const q = request.query;
      if (
        q.get('organization') !== me.organization ||
        !['user', 'organization'].includes(q.get('scope') ?? '')
      )
        throw new CalendlyApiError(400, 'Invalid Argument', 'The supplied parameters are invalid.');
      const collection = webhooks
        .list()
        .filter((s) => s.scope === q.get('scope') && (!q.get('user') || s.user === q.get('user')));
      return ok({
        collection,
        pagination: {
          count: collection.length,
          next_page: null,
          previous_page: null,
          next_page_token: null,
          previous_page_token: null,
        },
      });
    }
    const hook = /^\/webhook_subscriptions\/[^/]+$/.test(path) ? `${baseUrl}${path}` : null;
    if (hook && method === 'GET') return ok({ resource: webhooks.get(hook) });
    if (hook && method === 'DELETE') {
      webhooks.remove(hook);
      return { status: 204 };
    }
    const event = /^\/scheduled_events\/([^/]+)$/.exec(path);
    if (event && method === 'GET') {
      const found = events.get(`${baseUrl}${path}`);
      if (!found) throw notFound();
      return ok({ resource: found });
    }
    throw notFound();
  };

  const server = await startEmulatorServer(async (request) => {
    let reply: EmulatorReply;
    try {
      reply = await api(request);
    } catch (error) {
      if (!(error instanceof CalendlyApiError)) throw error;
      reply = error.reply();
    }
    calls.push(recordCall(request, reply.status));
    return reply;
  });
  baseUrl = server.url;

  const payloadOf = (
    scheduled: Record<string, unknown>,
    invitee: string,
    name: string,
    status: string,
  ) => {
    const at = new Date(now()).toISOString();
    return {
      uri: invitee,
      email: 'client@example.com',
      name,
      status,
      timezone: 'Europe/Amsterdam',
      event: scheduled.uri,
      created_at: at,
      updated_at: at,
      rescheduled: false,
      old_invitee: null,
      new_invitee: null,
      questions_and_answers: [],
      scheduled_event: scheduled,
    };
  };
  const invitees = new Map<string, string>();

  return {
    url: server.url,
    apiRoot: server.url,
    token: issued,
    get user() {
      return user();
    },
    asInvitee: {
      book: ({ start, end, name = 'Client' }) => {
        const at = new Date(now()).toISOString();
        const eventUri = `${baseUrl}/scheduled_events/${calendlyId()}`;
        const inviteeUri = `${eventUri}/invitees/${calendlyId()}`;
        const me = user();
        const scheduled = {
          uri: eventUri,
          name: '45 Minute Visit',
          status: 'active',
          start_time: new Date(start).toISOString(),
          end_time: new Date(end).toISOString(),
          event_type: `${baseUrl}/event_types/${ids.eventType}`,
          location: { type: 'physical', location: 'At the client' },
          invitees_counter: { total: 1, active: 1, limit: 1 },
          created_at: at,
          updated_at: at,
          event_memberships: [{ user: me.uri, user_email: me.email, user_name: me.name }],
          event_guests: [],
        };
        events.set(eventUri, scheduled);
        invitees.set(inviteeUri, name);
        webhooks.deliver('invitee.created', payloadOf(scheduled, inviteeUri, name, 'active'));
        return { eventUri, inviteeUri };
      },
      cancel: ({ eventUri, inviteeUri }) => {
        const scheduled = events.get(eventUri);
        if (!scheduled) throw new Error(`no scheduled event ${eventUri}`);
        const at = new Date(now()).toISOString();
        const cancellation = {
          canceled_by: 'Client',
          reason: null,
          canceler_type: 'invitee',
          created_at: at,
        };
        Object.assign(scheduled, {
          status: 'canceled',
          updated_at: at,
          invitees_counter: { total: 1, active: 0, limit: 1 },
          cancellation,
        });
        webhooks.deliver('invitee.canceled', {
          ...payloadOf(scheduled, inviteeUri, invitees.get(inviteeUri) ?? 'Client', 'canceled'),
          cancellation,
        });
      },
    },
    redeliver: (delivery) => webhooks.redeliver(delivery),
    dropNotifications: (count) => webhooks.dropNext(count),
    notificationsSettled: () => webhooks.settled(),
    subscriptions: () => webhooks.list(),
    deliveries: webhooks.deliveries,
    calls,
    failNext: (count, status, fault = {}) => faults.push(count, { ...fault, status }),
    revokeToken: () => {
      token = null;
    },
    stop: async () => {
      await webhooks.settled();
      await server.close();
    },
  };
}

const ok = (body: unknown): EmulatorReply => ({ status: 200, body });
