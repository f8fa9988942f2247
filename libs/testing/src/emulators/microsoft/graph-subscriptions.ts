import { randomUUID } from 'node:crypto';
import { randomToken } from '../shared/random-id';
import { GraphApiError, invalidRequest } from './graph-errors';
import type { ChangeType } from './graph-store';

export interface GraphSubscription {
  id: string;
  resource: string;
  /** The calendar the resource names; null for `me/events` (the default calendar). */
  calendarId: string | null;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
}

export interface SubscriptionRequest {
  changeType?: string;
  notificationUrl?: string;
  lifecycleNotificationUrl?: string;
  resource?: string;
  expirationDateTime?: string;
  clientState?: string;
}

export interface GraphDelivery {
  subscriptionId: string;
  kind: 'change' | 'lifecycle';
  dropped: boolean;
  /** The endpoint's status; null while in flight, dropped, or unreachable. */
  status: number | null;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** Outlook events allow at most 10,080 minutes (subscription resource, `expirationDateTime`). */
const MAX_MINUTES = 10_080;

/**
 * Webhook subscriptions (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks):
 * creating one POSTs `?validationToken=` to each URL and needs the token echoed as
 * `text/plain` with 200 within 10 s; every notification carries the `clientState`; expired
 * subscriptions go quiet and cannot be renewed.
 */
export class GraphSubscriptions {
  readonly deliveries: GraphDelivery[] = [];
  private readonly subscriptions = new Map<string, GraphSubscription>();
  private readonly inFlight = new Set<Promise<void>>();
  private toDrop = 0;

  constructor(
    private readonly now: () => number,
    private readonly tenantId: string,
    private readonly userId: string,
    private readonly validationTimeoutMs: number,
  ) {}

  async create(request: SubscriptionRequest | null): Promise<GraphSubscription> {
    const changeTypes = (request?.changeType ?? '').split(',').filter(Boolean);
    if (
      changeTypes.length === 0 ||
      changeTypes.some((c) => !['created', 'updated', 'deleted'].includes(c))
    )
      throw invalidRequest('Invalid changeType.');
    const match = /^\/?(?:me|users\/[^/]+)\/(?:events|calendars\/([^/]+)\/events)$/i.exec(
      request?.resource ?? '',
    );
    if (!match)
      throw new GraphApiError(400, 'ExtensionError', 'Resource not found or not supported.');
    const notificationUrl = checkedUrl(request?.notificationUrl);
    const lifecycleNotificationUrl = request?.lifecycleNotificationUrl
      ? checkedUrl(request.lifecycleNotificationUrl)
      : null;
    const expiration = this.checkedExpiration(request?.expirationDateTime);
    for (const url of [notificationUrl, lifecycleNotificationUrl])
      if (url && !(await this.validates(url)))
        throw new GraphApiError(
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
    const subscription: GraphSubscription = {
      id: randomUUID(),
      resource: request!.resource!,
      calendarId: match[1] ?? null,
      changeType: changeTypes.join(','),
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: request?.clientState ?? null,
      expirationDateTime: new Date(expiration).toISOString(),
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  renew(id: string, expirationDateTime: string | undefined): GraphSubscription {
    const subscription = this.live(id);
    subscription.expirationDateTime = new Date(
      this.checkedExpiration(expirationDateTime),
    ).toISOString();
    return subscription;
  }

  remove(id: string): void {
    this.live(id);
    this.subscriptions.delete(id);
  }

  get(id: string): GraphSubscription {
    return this.live(id);
  }

  list(): GraphSubscription[] {
    return [...this.subscriptions.values()].filter(
      (s) => Date.parse(s.expirationDateTime) > this.now(),
    );
  }

  changed(calendarId: string, isDefault: boolean, eventId: string, change: ChangeType): void {
    for (const s of this.list()) {
      const covers = s.calendarId === null ? isDefault : s.calendarId === calendarId;
      if (!covers || !s.changeType.split(',').includes(change)) continue;
      const resource = `Users/${this.userId}/Events/${eventId}`;
      this.send(s, s.notificationUrl, 'change', {
        subscriptionId: s.id,
        subscriptionExpirationDateTime: s.expirationDateTime,
        changeType: change,
        resource,
        resourceData: {
          '@odata.type': '#Microsoft.Graph.Event',
          '@odata.id': resource,
          id: eventId,
        },
        clientState: s.clientState,
        tenantId: this.tenantId,
      });
    }
  }

  lifecycle(id: string, lifecycleEvent: LifecycleEvent): void {
    const s = this.live(id);
    if (!s.lifecycleNotificationUrl)
      throw new Error(`subscription ${id} has no lifecycleNotificationUrl`);
    this.send(s, s.lifecycleNotificationUrl, 'lifecycle', {
      subscriptionId: s.id,
      subscriptionExpirationDateTime: s.expirationDateTime,
      tenantId: this.tenantId,
      clientState: s.clientState,
      lifecycleEvent,
    });
    if (lifecycleEvent === 'subscriptionRemoved') this.subscriptions.delete(id);
  }

  dropNext(count: number): void {
    this.toDrop += count;
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private send(
    s: GraphSubscription,
    url: string,
    kind: GraphDelivery['kind'],
    notification: object,
  ): void {
    const record: GraphDelivery = {
      subscriptionId: s.id,
      kind,
      dropped: this.toDrop > 0,
      status: null,
    };
    this.deliveries.push(record);
    if (record.dropped) {
      this.toDrop--;
      return;
    }
    const delivery = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [notification] }),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        record.status = response.status;
      })
      .catch(() => undefined)
      .finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  private async validates(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomToken(8)}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.validationTimeoutMs),
      });
      const body = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return response.status === 200 && type.startsWith('text/plain') && body === token;
    } catch {
      return false;
    }
  }

  private checkedExpiration(text: string | undefined): number {
    const at = Date.parse(text ?? '');
    if (Number.isNaN(at) || at <= this.now())
      throw invalidRequest('Subscription expiration can only be in the future.');
    if (at > this.now() + MAX_MINUTES * 60_000)
      throw invalidRequest(
        `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`,
      );
    return at;
  }

  private live(id: string): GraphSubscription {
    const s = this.subscriptions.get(id);
    if (!s || Date.parse(s.expirationDateTime) <= this.now())
      throw new GraphApiError(404, 'ResourceNotFound', `The object was not found.`);
    return s;
  }
}

/** Graph wants public HTTPS; loopback HTTP is allowed so tests can receive. */
function checkedUrl(text: string | undefined): string {
  let url: URL;
  try {
    url = new URL(text ?? '');
  } catch {
    throw invalidRequest('Invalid notification url.');
  }
  const loopback =
    /^127\.\d+\.\d+\.\d+$/.test(url.hostname) || ['localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw invalidRequest('The Notification Url must be https.');
  return url.toString();
}
