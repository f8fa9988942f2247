import { createHmac, randomUUID } from 'node:crypto';
import { OutgoingWebhooks } from '../shared/outgoing-webhooks';
import { CalendlyApiError, invalidArgument, notFound } from './calendly-errors';

export interface CalendlyWebhookSubscription {
  uri: string;
  callback_url: string;
  created_at: string;
  updated_at: string;
  retry_started_at: string | null;
  state: 'active' | 'disabled';
  events: string[];
  scope: 'user' | 'organization';
  organization: string;
  user: string | null;
  creator: string;
}

export interface CalendlyDelivery {
  subscriptionUri: string;
  event: string;
  /** The JSON body as sent; a redelivery sends these same bytes under a fresh signature. */
  body: string;
  /** A test asked for this one to be lost on the way. */
  dropped: boolean;
  /** The webhook's HTTP status; null while in flight, dropped, or when it could not be sent. */
  status: number | null;
}

export interface SubscriptionRequest {
  url?: unknown;
  events?: unknown;
  organization?: unknown;
  user?: unknown;
  scope?: unknown;
  signing_key?: unknown;
}

const EVENTS = new Set([
  'invitee.created',
  'invitee.canceled',
  'invitee_no_show.created',
  'invitee_no_show.deleted',
  'routing_form_submission.created',
]);

/**
 * Webhook subscriptions as Calendly documents them
 * (https://developer.calendly.com/api-docs/calendly-api/webhooks/create-webhook-subscription,
 * https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures): one per URL and
 * owner (409 otherwise), never expiring; each delivery a JSON POST signed with the
 * subscription's key as `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">`. Calendly only calls HTTPS; loopback HTTP is allowed so tests can receive.
 */
export class CalendlyWebhooks {
  readonly deliveries: CalendlyDelivery[] = [];
  private readonly subscriptions = new Map<
    string,
    CalendlyWebhookSubscription & { signingKey: string | null }
  >();
  private readonly outgoing = new OutgoingWebhooks();
  private toDrop = 0;

  constructor(
    /** Known once the server listens: its base URL and the account's URIs under it. */
    private readonly account: () => { baseUrl: string; user: string; organization: string },
    private readonly now: () => number,
  ) {}

  create(request: SubscriptionRequest | null): CalendlyWebhookSubscription {
    const owner = this.account();
    const url = checkedUrl(request?.url);
    const events = request?.events;
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      events.some((e) => !EVENTS.has(e as string))
    )
      throw invalidArgument('events', 'must be a non-empty list of supported events');
    const scope = request?.scope;
    if (scope !== 'user' && scope !== 'organization')
      throw invalidArgument('scope', 'must be user or organization');
    if (request?.organization !== owner.organization)
      throw invalidArgument('organization', 'is not the organization of the token');
    if (scope === 'user' && request?.user !== owner.user)
      throw invalidArgument('user', 'is not the user of the token');
    const signingKey = request?.signing_key;
    if (signingKey !== undefined && (typeof signingKey !== 'string' || signingKey.length === 0))
      throw invalidArgument('signing_key', 'must be a string');
    const user = scope === 'user' ? owner.user : null;
    if (
      [...this.subscriptions.values()].some(
        (s) => s.callback_url === url && s.user === user && s.scope === scope,
      )
    )
      throw new CalendlyApiError(409, 'Already Exists', 'Hook with this url already exists');
    const at = new Date(this.now()).toISOString();
    const subscription: CalendlyWebhookSubscription & { signingKey: string | null } = {
      uri: `${owner.baseUrl}/webhook_subscriptions/${randomUUID()}`,
      callback_url: url,
      created_at: at,
      updated_at: at,
      retry_started_at: null,
      state: 'active',
      events: events as string[],
      scope,
      organization: owner.organization,
      user,
      creator: owner.user,
      signingKey: (signingKey as string | undefined) ?? null,
    };
    this.subscriptions.set(subscription.uri, subscription);
    return view(subscription);
  }

  get(uri: string): CalendlyWebhookSubscription {
    const subscription = this.subscriptions.get(uri);
    if (!subscription) throw notFound();
    return view(subscription);
  }

  remove(uri: string): void {
    if (!this.subscriptions.delete(uri)) throw notFound();
  }

  list(): CalendlyWebhookSubscription[] {
    return [...this.subscriptions.values()].map(view);
  }

  /** Sends `event` with `payload` to every subscription that asked for it. */
  deliver(event: string, payload: object): void {
    for (const s of this.subscriptions.values()) {
      if (s.state !== 'active' || !s.events.includes(event)) continue;
      const body = JSON.stringify({
        created_at: new Date(this.now()).toISOString(),
        created_by: s.creator,
        event,
        payload,
      });
      const record: CalendlyDelivery = {
        subscriptionUri: s.uri,
        event,
        body,
        dropped: this.toDrop > 0,
        status: null,
      };
      this.deliveries.push(record);
      if (record.dropped) {
        this.toDrop--;
        continue;
      }
      this.send(record);
    }
  }

  /** Calendly retries a delivery that got no 2xx: the same body, signed again. */
  async redeliver(delivery: CalendlyDelivery): Promise<number | null> {
    const again: CalendlyDelivery = { ...delivery, dropped: false, status: null };
    this.deliveries.push(again);
    await this.send(again);
    return again.status;
  }

  dropNext(count: number): void {
    this.toDrop += count;
  }

  settled(): Promise<void> {
    return this.outgoing.settled();
  }

  private send(record: CalendlyDelivery): Promise<void> {
    const s = this.subscriptions.get(record.subscriptionUri);
    if (!s) return Promise.resolve();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (s.signingKey !== null) {
      const t = Math.floor(this.now() / 1000);
      const v1 = createHmac('sha256', s.signingKey).update(`${t}.${record.body}`).digest('hex');
      headers['Calendly-Webhook-Signature'] = `t=${t},v1=${v1}`;
    }
    return this.outgoing.post(s.callback_url, { headers, body: record.body }, record);
  }
}

function view({
  signingKey: _signingKey,
  ...subscription
}: CalendlyWebhookSubscription & { signingKey: string | null }): CalendlyWebhookSubscription {
  return subscription;
}

function checkedUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(typeof value === 'string' ? value : '');
  } catch {
    throw invalidArgument('url', 'must be a valid URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw invalidArgument('url', 'must be an https URL');
  return url.toString();
}
