import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '@cs/eventing';
import type { Calendar, Event as GraphEvent } from 'microsoft-graph';
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
import type { ProviderItemStore } from '../provider-item-store';
import { allPages, listFromCursor } from '../provider-listing';
import { continuable, deltaRound } from './delta-listing';
import {
  eventToIcs,
  icsToEvent,
  sameTimes,
  transactionIdFor,
  UID_PROPERTY_ID,
} from './graph-event-ical';
import { MailboxLimiter } from './mailbox-limiter';
import { graphClient, type MicrosoftClientConfig } from './microsoft-client';
import { providerErrorOf, statusOf } from './microsoft-errors';
import { PushSubscriptions } from './push-subscriptions';

/** Outlook's limit of concurrent requests per app and mailbox. */
const MAILBOX_CONCURRENCY = 4;
const PAGE_SIZE = 200;

export interface MicrosoftProviderOptions {
  /** Events per delta page (`Prefer: odata.maxpagesize`). */
  pageSize?: number;
}

type Etagged = GraphEvent & { '@odata.etag'?: string };

const listed = (event: Etagged): ListedItem => ({
  href: event.id!,
  etag: event['@odata.etag'] ?? null,
});

/**
 * Microsoft Graph (Outlook, Microsoft 365) behind the provider port. Listing is
 * `calendarView/delta` (see `deltaRound`), so each occurrence or exception of a series is its own
 * href and a 410 (`syncStateNotFound`) starts a full round. The events of the last listing are
 * kept as VEVENTs for `fetch`, as for Google.
 */
export class MicrosoftProvider implements CalendarProvider {
  readonly provider = 'microsoft' as const;
  private readonly limiter = new MailboxLimiter(MAILBOX_CONCURRENCY);
  private readonly pageSize: number;
  private readonly now: () => number;
  private readonly push: PushSubscriptions;

  constructor(
    private readonly config: MicrosoftClientConfig,
    private readonly items: ProviderItemStore,
    clock: Clock,
    options: MicrosoftProviderOptions = {},
  ) {
    this.pageSize = options.pageSize ?? PAGE_SIZE;
    this.now = () => clock.now().getTime();
    this.push = new PushSubscriptions(config.graphUrl, this.now);
  }

  private api(credentials: Credentials): Client {
    if (credentials.provider !== 'microsoft' || !credentials.accessToken)
      throw new ProviderError('auth_revoked', 'the Microsoft connection has no access token');
    return graphClient(
      this.config,
      this.limiter,
      credentials.homeAccountId ?? credentials.accessToken,
      credentials.accessToken,
    );
  }

  private events(calendar: CalendarRef, eventId?: string): string {
    const base = `${this.config.graphUrl}/me/calendars/${encodeURIComponent(calendar.url)}/events`;
    return eventId === undefined ? base : `${base}/${encodeURIComponent(eventId)}`;
  }

  async discover(credentials: Credentials): Promise<DiscoveredCalendar[]> {
    const api = this.api(credentials);
    const calendars = await allPages(async (link = `${this.config.graphUrl}/me/calendars`) => {
      const page: { value?: Calendar[]; '@odata.nextLink'?: string } = await api.api(link).get();
      return { items: page.value ?? [], next: page['@odata.nextLink'] };
    }).catch((error: unknown) => {
      throw providerErrorOf(error, 'listing calendars');
    });
    return calendars
      .filter((c) => c.id)
      .sort((a, b) => Number(b.isDefaultCalendar ?? false) - Number(a.isDefaultCalendar ?? false))
      .map((c) => ({
        url: c.id!,
        name: c.name ?? c.id!,
        color: c.hexColor || null,
        writable: c.canEdit ?? false,
        supportsDelta: true,
      }));
  }

  async list(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<Listing> {
    const now = this.now();
    const previous = continuable(cursor, now);
    const options = {
      calendarUrl: `${this.config.graphUrl}/me/calendars/${encodeURIComponent(calendar.url)}`,
      pageSize: this.pageSize,
    };
    const api = this.api(credentials);
    // https://learn.microsoft.com/en-us/graph/delta-query-overview#synchronization-reset
    const round = await listFromCursor(previous, (from) => deltaRound(api, options, from, now), {
      statusOf,
      failed: (error) => providerErrorOf(error, 'listing events'),
    });
    return this.items.keep(calendar.calendarId, round);
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
    return this.items.fetch(calendar.calendarId, hrefs, (missing) => {
      const api = this.api(credentials);
      const expand = `$expand=singleValueExtendedProperties($filter=id eq '${UID_PROPERTY_ID}')`;
      // In parallel: the mailbox limiter keeps it to what Outlook allows.
      return Promise.all(
        missing.map(async (href): Promise<FetchedItem | null> => {
          try {
            const event: Etagged = await api.api(`${this.events(calendar, href)}?${expand}`).get();
            const ics = eventToIcs(event);
            return ics === null ? null : { href, etag: event['@odata.etag'] ?? null, data: ics };
          } catch (error) {
            if (isGone(statusOf(error))) return null;
            throw providerErrorOf(error, 'reading an event');
          }
        }),
      );
    });
  }

  /**
   * A new copy is created with a `transactionId` derived from its UID, so a create retried
   * after a lost answer returns the first copy. If that copy differs from ours (the booking
   * moved since), ours is written over it, as `ifMatch: '*'` would. An update whose copy is
   * gone is refused when the caller named an ETag, and re-created when it did not.
   */
  async write(
    credentials: Credentials,
    calendar: CalendarRef,
    write: ItemWrite,
  ): Promise<ListedItem> {
    const api = this.api(credentials);
    const body = icsToEvent(write.data, write.uid);
    const patch = async (href: string, ifMatch: string | null) =>
      listed(
        await api.api(this.events(calendar, href)).headers(ifMatchHeader(ifMatch)).patch(body),
      );
    const create = async (): Promise<ListedItem> => {
      const created: Etagged = await api
        .api(this.events(calendar))
        .post({ ...body, transactionId: transactionIdFor(write.uid) });
      if (sameTimes(created, body)) return listed(created);
      return patch(created.id!, write.ifMatch === '*' ? '*' : (created['@odata.etag'] ?? null));
    };
    try {
      if (write.href === null) return await create();
      try {
        return await patch(write.href, write.ifMatch);
      } catch (error) {
        if (!isGone(statusOf(error))) throw error;
        if (write.ifMatch !== null && write.ifMatch !== '*')
          throw new ProviderError('precondition_failed', 'the copy to update is gone');
        return await create();
      }
    } catch (error) {
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
      await api.api(this.events(calendar, href)).headers(ifMatchHeader(ifMatch)).delete();
    } catch (error) {
      if (isGone(statusOf(error))) return;
      throw providerErrorOf(error, 'removing a booking');
    }
  }

  async subscribe(
    credentials: Credentials,
    calendar: CalendarRef,
    target: PushTarget,
  ): Promise<PushSubscription> {
    return this.push.subscribe(this.api(credentials), calendar, target);
  }

  async renew(
    credentials: Credentials,
    calendar: CalendarRef,
    subscription: PushSubscription,
    target: PushTarget,
  ): Promise<PushSubscription> {
    return this.push.renew(this.api(credentials), calendar, subscription, target);
  }

  async unsubscribe(
    credentials: Credentials,
    _calendar: CalendarRef,
    subscription: PushSubscription,
  ): Promise<void> {
    return this.push.unsubscribe(this.api(credentials), subscription);
  }
}
