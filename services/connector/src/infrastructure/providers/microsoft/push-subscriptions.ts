import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type {
  CalendarRef,
  PushSubscription,
  PushTarget,
} from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import { providerErrorOf, statusOf } from './microsoft-errors';

/** Outlook events allow at most 10,080 minutes; a little less leaves room for clock skew. */
const LIFETIME_MS = 10_000 * 60_000;

const granted = z.object({ id: z.string().min(1), expirationDateTime: z.string().datetime() });

function subscriptionOf(body: unknown): PushSubscription {
  const parsed = granted.safeParse(body);
  if (!parsed.success)
    throw new ProviderError('invalid_data', 'Microsoft Graph sent a subscription we cannot read');
  return {
    subscriptionId: parsed.data.id,
    resourceId: null,
    expiresAt: Date.parse(parsed.data.expirationDateTime),
  };
}

/**
 * Graph change notifications for one calendar's events
 * (https://learn.microsoft.com/en-us/graph/api/subscription-post-subscriptions): created,
 * updated and deleted go to our webhook with `clientState` = the target's token; lifecycle
 * notifications (`reauthorizationRequired`, `subscriptionRemoved`, `missed`) go to the same
 * URL, which tells them apart by `lifecycleEvent`. Renewal is a PATCH of the expiry; one Graph
 * no longer knows (expired, removed) is created anew.
 */
export class PushSubscriptions {
  constructor(
    private readonly graphUrl: string,
    private readonly now: () => number,
  ) {}

  private expiry(): string {
    return new Date(this.now() + LIFETIME_MS).toISOString();
  }

  async subscribe(
    api: Client,
    calendar: CalendarRef,
    target: PushTarget,
  ): Promise<PushSubscription> {
    try {
      return subscriptionOf(
        await api.api(`${this.graphUrl}/subscriptions`).post({
          changeType: 'created,updated,deleted',
          notificationUrl: target.notificationUrl,
          lifecycleNotificationUrl: target.notificationUrl,
          resource: `/me/calendars/${calendar.url}/events`,
          expirationDateTime: this.expiry(),
          clientState: target.token,
        }),
      );
    } catch (error) {
      throw providerErrorOf(error, 'subscribing to changes');
    }
  }

  async renew(
    api: Client,
    calendar: CalendarRef,
    subscription: PushSubscription,
    target: PushTarget,
  ): Promise<PushSubscription> {
    try {
      return subscriptionOf(
        await api
          .api(`${this.graphUrl}/subscriptions/${encodeURIComponent(subscription.subscriptionId)}`)
          .patch({ expirationDateTime: this.expiry() }),
      );
    } catch (error) {
      if (statusOf(error) === 404) return this.subscribe(api, calendar, target);
      throw providerErrorOf(error, 'renewing a subscription');
    }
  }

  async unsubscribe(api: Client, subscription: PushSubscription): Promise<void> {
    try {
      await api
        .api(`${this.graphUrl}/subscriptions/${encodeURIComponent(subscription.subscriptionId)}`)
        .delete();
    } catch (error) {
      // Gone already (expired or removed by Graph) is what was asked for.
      if (statusOf(error) === 404) return;
      throw providerErrorOf(error, 'stopping a subscription');
    }
  }
}
