import type { Provider } from './provider';

/** What a Pro gave us to reach their calendars; kept encrypted at rest. */
export type Credentials =
  | { provider: 'caldav'; serverUrl: string; username: string; password: string }
  | { provider: 'ics'; url: string }
  | { provider: 'calendly'; accessToken: string }
  | GoogleCredentials
  | MicrosoftCredentials;

/** OAuth tokens; both null while the Pro has not yet consented. */
export interface GoogleCredentials {
  provider: 'google';
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch ms at which the access token stops working. */
  expiresAt: number | null;
}

/**
 * MSAL's token cache for one Microsoft account, sealed with the rest of the credentials; the
 * access token is kept beside it so a still-valid one is used without MSAL. All null while the
 * Pro has not yet consented.
 */
export interface MicrosoftCredentials {
  provider: 'microsoft';
  /** MSAL's key of the account in its cache. */
  homeAccountId: string | null;
  /** `TokenCache.serialize()`: access, refresh and ID tokens and the account. */
  tokenCache: string | null;
  accessToken: string | null;
  /** Epoch ms at which the access token stops working. */
  expiresAt: number | null;
}

/** One calendar as the provider describes it. */
export interface DiscoveredCalendar {
  url: string;
  name: string;
  color: string | null;
  writable: boolean;
  /** RFC 6578 sync-collection is offered, so deltas need no full listing. */
  supportsDelta: boolean;
}

/** The calendar an operation is about, with what discovery learnt of it. */
export interface CalendarRef {
  calendarId: string;
  url: string;
  supportsDelta: boolean;
}

export interface ListedItem {
  href: string;
  etag: string | null;
}

export interface Listing {
  /** `full`: every item is listed (an item not listed is gone); `delta`: only the changes. */
  kind: 'full' | 'delta';
  items: ListedItem[];
  removed: string[];
  cursor: string | null;
}

export interface FetchedItem extends ListedItem {
  data: string;
}

export interface ItemWrite {
  /** null: a new resource named after the UID, created only if it does not exist yet. */
  href: string | null;
  uid: string;
  data: string;
  /** The ETag the caller last saw; a write over anything else is refused. */
  ifMatch: string | null;
}

/** Where and how a provider should notify us of changes to one calendar. */
export interface PushTarget {
  /** Our public webhook URL for this provider. */
  notificationUrl: string;
  /** A secret the provider echoes back on every notification (Google channel token, Graph clientState). */
  token: string;
  /** Our id for the channel/subscription, where the provider lets the client choose it. */
  channelId: string;
}

/** A push channel or subscription as the provider granted it. */
export interface PushSubscription {
  /** The provider's id (Google channel id, Graph subscription id). */
  subscriptionId: string;
  /** Google's resourceId, needed to stop a channel; null where the provider has none. */
  resourceId: string | null;
  /** Epoch ms; the subscription must be renewed before this. */
  expiresAt: number;
}

/**
 * One port for every calendar provider (vdirsyncer's storage verbs plus discovery). An
 * adapter translates the provider's payloads into these types at the edge, throws only
 * `ProviderError`, and holds no business rules.
 */
export interface CalendarProvider {
  readonly provider: Provider;
  /** Authenticates and lists the calendars the credentials reach. */
  discover(credentials: Credentials): Promise<DiscoveredCalendar[]>;
  /** Changes since `cursor`, or a full listing when there is none or it has expired. */
  list(credentials: Credentials, calendar: CalendarRef, cursor: string | null): Promise<Listing>;
  /** The items' text; hrefs that no longer exist are left out. */
  fetch(credentials: Credentials, calendar: CalendarRef, hrefs: string[]): Promise<FetchedItem[]>;
  /**
   * The calendar owner's addresses, as ATTENDEE values name them: whose PARTSTAT=DECLINED
   * frees the time. Absent where the provider names no owner (a public feed).
   */
  owner?(credentials: Credentials, calendar: CalendarRef): Promise<string[]>;
  write(credentials: Credentials, calendar: CalendarRef, write: ItemWrite): Promise<ListedItem>;
  remove(
    credentials: Credentials,
    calendar: CalendarRef,
    href: string,
    ifMatch: string | null,
  ): Promise<void>;
  /** Starts push notifications for a calendar; absent where the provider has no push. */
  subscribe?(
    credentials: Credentials,
    calendar: CalendarRef,
    target: PushTarget,
  ): Promise<PushSubscription>;
  /** Extends a subscription; providers that cannot extend (Google) subscribe anew instead. */
  renew?(
    credentials: Credentials,
    calendar: CalendarRef,
    subscription: PushSubscription,
    target: PushTarget,
  ): Promise<PushSubscription>;
  /** Stops a subscription; one the provider no longer knows counts as stopped. */
  unsubscribe?(
    credentials: Credentials,
    calendar: CalendarRef,
    subscription: PushSubscription,
  ): Promise<void>;
}
