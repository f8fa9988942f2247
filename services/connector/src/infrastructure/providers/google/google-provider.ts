import type { calendar_v3 } from '@googleapis/calendar';
import type { Clock } from '@cs/eventing';
import type {
  CalendarProvider,
  CalendarRef,
  Credentials,
  DiscoveredCalendar,
  FetchedItem,
  ItemWrite,
  ListedItem,
  Listing,
  PushSubscription,
  PushTarget,
} from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import { API_OWNER_ADDRESS } from '../provider-event-ical';
import { ifMatchHeader, isGone } from '../provider-http';
import type { ListingRound, ProviderItemStore } from '../provider-item-store';
import { allPages, listFromCursor } from '../provider-listing';
import { calendarClient, type GoogleClientConfig } from './google-client';
import { providerErrorOf, statusOf } from './google-errors';
import { eventIdFor, eventToIcs, icsToEvent } from './google-event-ical';

const PAGE_SIZE = 2500;

/**
 * Google Calendar API v3 behind the provider port. Listing follows the incremental sync guide
 * (https://developers.google.com/calendar/api/guides/sync): every page repeats the same query,
 * the sync token comes only with the last page and becomes the cursor, and 410 means start
 * over with a full listing. `singleEvents` gives each instance of a series its own href.
 */
export class GoogleProvider implements CalendarProvider {
  readonly provider = 'google' as const;

  constructor(
    private readonly config: GoogleClientConfig,
    private readonly items: ProviderItemStore,
    private readonly clock: Clock,
    /** The lifetime asked for a push channel; Google caps it at a week for events. */
    private readonly channelTtlMs = 7 * 86_400_000,
  ) {}

  private api(credentials: Credentials): calendar_v3.Calendar {
    if (credentials.provider !== 'google' || !credentials.accessToken)
      throw new ProviderError('auth_revoked', 'the Google connection has no access token');
    return calendarClient(this.config, credentials.accessToken);
  }

  async discover(credentials: Credentials): Promise<DiscoveredCalendar[]> {
    const api = this.api(credentials);
    const calendars = await allPages(async (pageToken) => {
      const { data } = await api.calendarList.list({ pageToken });
      return { items: data.items ?? [], next: data.nextPageToken };
    }).catch((error: unknown) => {
      throw providerErrorOf(error, 'listing calendars');
    });
    return calendars
      .filter((c) => c.id && !c.deleted)
      .sort((a, b) => Number(b.primary ?? false) - Number(a.primary ?? false))
      .map((c) => ({
        url: c.id!,
        name: c.summaryOverride ?? c.summary ?? c.id!,
        color: c.backgroundColor ?? null,
        writable: c.accessRole === 'owner' || c.accessRole === 'writer',
        supportsDelta: true,
      }));
  }

  async list(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<Listing> {
    const round = await listFromCursor(cursor, (from) => this.pages(credentials, calendar, from), {
      statusOf,
      failed: (error) => providerErrorOf(error, 'listing events'),
    });
    return this.items.keep(calendar.calendarId, round);
  }

  private async pages(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<ListingRound> {
    const api = this.api(credentials);
    let syncToken: string | null = null;
    const events = await allPages(async (pageToken) => {
      const { data }: { data: calendar_v3.Schema$Events } = await api.events.list({
        calendarId: calendar.url,
        singleEvents: true,
        maxResults: PAGE_SIZE,
        syncToken: cursor ?? undefined,
        pageToken,
      });
      syncToken = data.nextSyncToken ?? null;
      return { items: data.items ?? [], next: data.nextPageToken };
    });
    const items: FetchedItem[] = [];
    const removed: string[] = [];
    for (const event of events) {
      const ics = event.status === 'cancelled' ? null : eventToIcs(event);
      if (ics === null) removed.push(event.id!);
      else items.push({ href: event.id!, etag: event.etag ?? null, data: ics });
    }
    return { kind: cursor === null ? 'full' : 'delta', items, removed, cursor: syncToken };
  }

  /** The VEVENTs built from this provider's events name the owner so (`eventToIcs`). */
  owner(): Promise<string[]> {
    return Promise.resolve([API_OWNER_ADDRESS]);
  }

  async fetch(
    credentials: Credentials,
    calendar: CalendarRef,
    hrefs: string[],
  ): Promise<FetchedItem[]> {
    return this.items.fetch(calendar.calendarId, hrefs, async (missing) => {
      const api = this.api(credentials);
      const read: Array<FetchedItem | null> = [];
      for (const href of missing) {
        try {
          const { data } = await api.events.get({ calendarId: calendar.url, eventId: href });
          const ics = data.status === 'cancelled' ? null : eventToIcs(data);
          read.push(ics === null ? null : { href, etag: data.etag ?? null, data: ics });
        } catch (error) {
          if (!isGone(statusOf(error))) throw providerErrorOf(error, 'reading an event');
        }
      }
      return read;
    });
  }

  /**
   * A new copy is inserted under an id derived from its UID, so a second insert is 409 →
   * `precondition_failed`; `ifMatch: '*'` overwrites whatever is there.
   */
  async write(
    credentials: Credentials,
    calendar: CalendarRef,
    write: ItemWrite,
  ): Promise<ListedItem> {
    const api = this.api(credentials);
    const body = icsToEvent(write.data, write.uid);
    const eventId = write.href ?? eventIdFor(write.uid);
    try {
      const { data } =
        write.href === null && write.ifMatch !== '*'
          ? await api.events.insert({
              calendarId: calendar.url,
              requestBody: { ...body, id: eventId },
            })
          : await api.events.update(
              { calendarId: calendar.url, eventId, requestBody: body },
              { headers: ifMatchHeader(write.ifMatch) },
            );
      return { href: data.id!, etag: data.etag ?? null };
    } catch (error) {
      if (write.ifMatch === '*' && statusOf(error) === 404) {
        const { data } = await api.events
          .insert({ calendarId: calendar.url, requestBody: { ...body, id: eventId } })
          .catch((again: unknown) => {
            throw providerErrorOf(again, 'writing a booking');
          });
        return { href: data.id!, etag: data.etag ?? null };
      }
      throw providerErrorOf(error, 'writing a booking');
    }
  }

  async remove(
    credentials: Credentials,
    calendar: CalendarRef,
    href: string,
    ifMatch: string | null,
  ): Promise<void> {
    const api = this.api(credentials);
    try {
      await api.events.delete(
        { calendarId: calendar.url, eventId: href },
        { headers: ifMatchHeader(ifMatch) },
      );
    } catch (error) {
      if (isGone(statusOf(error))) return;
      throw providerErrorOf(error, 'removing a booking');
    }
  }

  /**
   * A push channel on the calendar's events (https://developers.google.com/calendar/api/guides/push):
   * our channel id and token come back in `X-Goog-Channel-ID`/`X-Goog-Channel-Token` on every
   * notification; `resourceId` is needed to stop it; Google may grant less than the asked expiration.
   */
  async subscribe(
    credentials: Credentials,
    calendar: CalendarRef,
    target: PushTarget,
  ): Promise<PushSubscription> {
    const api = this.api(credentials);
    try {
      const { data } = await api.events.watch({
        calendarId: calendar.url,
        requestBody: {
          id: target.channelId,
          type: 'web_hook',
          address: target.notificationUrl,
          token: target.token,
          expiration: String(this.clock.now().getTime() + this.channelTtlMs),
        },
      });
      if (!data.resourceId || !data.expiration)
        throw new ProviderError('invalid_data', 'Google opened a channel without resourceId');
      return {
        subscriptionId: data.id ?? target.channelId,
        resourceId: data.resourceId,
        expiresAt: Number(data.expiration),
      };
    } catch (error) {
      throw providerErrorOf(error, 'opening a push channel');
    }
  }

  /**
   * Channels cannot be extended: a new one is opened first, then the old one stopped. An old one
   * that will not stop just expires; what it still sends meets no subscription of ours.
   */
  async renew(
    credentials: Credentials,
    calendar: CalendarRef,
    subscription: PushSubscription,
    target: PushTarget,
  ): Promise<PushSubscription> {
    const renewed = await this.subscribe(credentials, calendar, target);
    await this.unsubscribe(credentials, calendar, subscription).catch(() => undefined);
    return renewed;
  }

  /** `channels.stop`; a channel Google no longer knows (expired, stopped) is stopped already. */
  async unsubscribe(
    credentials: Credentials,
    _calendar: CalendarRef,
    subscription: PushSubscription,
  ): Promise<void> {
    const api = this.api(credentials);
    try {
      await api.channels.stop({
        requestBody: { id: subscription.subscriptionId, resourceId: subscription.resourceId ?? '' },
      });
    } catch (error) {
      if (isGone(statusOf(error))) return;
      throw providerErrorOf(error, 'stopping a push channel');
    }
  }
}
