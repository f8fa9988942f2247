import type {
  CalendarProvider,
  CalendarRef,
  Credentials,
  DiscoveredCalendar,
  FetchedItem,
  ListedItem,
  Listing,
  PushSubscription,
  PushTarget,
} from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import type { CalendlyApi } from './calendly-api';
import type { CalendlyItemStore } from './calendly-item-store';

/** Calendly webhook subscriptions do not expire. */
const NEVER = Date.UTC(9999, 11, 31);

function tokenOf(credentials: Credentials): string {
  if (credentials.provider !== 'calendly')
    throw new Error('Calendly adapter given other credentials');
  return credentials.accessToken;
}

/**
 * Calendly with a personal access token: one read-only calendar per account, the account's
 * scheduled events. They arrive by webhook into the item store; `list` and `fetch` read that
 * store (checking the token still works), so sync treats Calendly like any other provider.
 */
export class CalendlyProvider implements CalendarProvider {
  readonly provider = 'calendly' as const;

  constructor(
    private readonly api: CalendlyApi,
    private readonly items: CalendlyItemStore,
  ) {}

  async discover(credentials: Credentials): Promise<DiscoveredCalendar[]> {
    const me = await this.api.me(tokenOf(credentials));
    return [{ url: me.uri, name: me.name, color: null, writable: false, supportsDelta: false }];
  }

  async list(credentials: Credentials, calendar: CalendarRef): Promise<Listing> {
    await this.api.me(tokenOf(credentials));
    return {
      kind: 'full',
      items: await this.items.all(calendar.calendarId),
      removed: [],
      cursor: null,
    };
  }

  fetch(_credentials: Credentials, calendar: CalendarRef, hrefs: string[]): Promise<FetchedItem[]> {
    return this.items.load(calendar.calendarId, hrefs);
  }

  write(): Promise<ListedItem> {
    return Promise.reject(new ProviderError('unsupported', 'Calendly calendars are read-only'));
  }

  remove(): Promise<void> {
    return Promise.reject(new ProviderError('unsupported', 'Calendly calendars are read-only'));
  }

  /**
   * A user-scope webhook subscription for bookings and cancellations, signed with our key
   * (https://developer.calendly.com/api-docs/calendly-api/webhooks/create-webhook-subscription).
   * One left at our URL by an earlier try that we never recorded answers 409: it is replaced.
   */
  async subscribe(
    credentials: Credentials,
    _calendar: CalendarRef,
    target: PushTarget,
  ): Promise<PushSubscription> {
    const token = tokenOf(credentials);
    const me = await this.api.me(token);
    const create = () =>
      this.api.createWebhook(token, {
        url: target.notificationUrl,
        user: me,
        signingKey: target.token,
      });
    let hook;
    try {
      hook = await create();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'precondition_failed') throw error;
      for (const stale of await this.api.webhooks(token, me))
        if (stale.callback_url === target.notificationUrl)
          await this.api.deleteWebhook(token, stale.uri);
      hook = await create();
    }
    return { subscriptionId: hook.uri, resourceId: me.uri, expiresAt: NEVER };
  }

  unsubscribe(
    credentials: Credentials,
    _calendar: CalendarRef,
    subscription: PushSubscription,
  ): Promise<void> {
    return this.api.deleteWebhook(tokenOf(credentials), subscription.subscriptionId);
  }
}
