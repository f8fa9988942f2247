import type {
  CalendarProvider,
  CalendarRef,
  Credentials,
  DiscoveredCalendar,
  FetchedItem,
  Listing,
} from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import { fetchFeed, type FeedFetchOptions } from './feed-fetch';
import { type FeedItem, sha256, splitFeed } from './split-feed';

/** Where the items of a feed's last good copy are kept, so `fetch` can serve them. */
export interface FeedItemStore {
  replace(calendarId: string, items: FeedItem[]): Promise<void>;
  load(calendarId: string, hrefs: string[]): Promise<FeedItem[]>;
}

interface FeedCursor {
  etag: string | null;
  lastModified: string | null;
  hash: string;
}

function feedUrl(credentials: Credentials): string {
  if (credentials.provider !== 'ics') throw new Error('ICS adapter given other credentials');
  return credentials.url;
}

function parseCursor(cursor: string | null): FeedCursor | null {
  if (!cursor) return null;
  try {
    return JSON.parse(cursor) as FeedCursor;
  } catch {
    return null;
  }
}

/**
 * iCalendar feeds: read-only, polled with `If-None-Match`/`If-Modified-Since`, and compared by
 * content hash when the server offers neither. A feed that is too large or malformed is an
 * error; the last good items stay as they were.
 */
export class IcsProvider implements CalendarProvider {
  readonly provider = 'ics' as const;

  constructor(
    private readonly options: FeedFetchOptions,
    private readonly store: FeedItemStore,
  ) {}

  async discover(credentials: Credentials): Promise<DiscoveredCalendar[]> {
    const url = feedUrl(credentials);
    const response = await fetchFeed(url, { etag: null, lastModified: null }, this.options);
    if (response.status !== 'ok') throw new ProviderError('invalid_data', 'feed sent no content');
    splitFeed(response.body);
    const name = /^X-WR-CALNAME:(.+)$/im.exec(response.body)?.[1]?.trim();
    return [
      {
        url,
        name: name?.slice(0, 200) || new URL(url).hostname,
        color: null,
        writable: false,
        supportsDelta: false,
      },
    ];
  }

  async list(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<Listing> {
    const previous = parseCursor(cursor);
    const response = await fetchFeed(
      feedUrl(credentials),
      { etag: previous?.etag ?? null, lastModified: previous?.lastModified ?? null },
      this.options,
    );
    if (response.status === 'not_modified')
      return { kind: 'delta', items: [], removed: [], cursor };
    const hash = sha256(response.body);
    const next = JSON.stringify({ etag: response.etag, lastModified: response.lastModified, hash });
    if (previous?.hash === hash) return { kind: 'delta', items: [], removed: [], cursor: next };
    const items = splitFeed(response.body);
    await this.store.replace(calendar.calendarId, items);
    return {
      kind: 'full',
      items: items.map(({ href, etag }) => ({ href, etag })),
      removed: [],
      cursor: next,
    };
  }

  async fetch(
    _credentials: Credentials,
    calendar: CalendarRef,
    hrefs: string[],
  ): Promise<FetchedItem[]> {
    return this.store.load(calendar.calendarId, hrefs);
  }

  async write(): Promise<never> {
    throw new ProviderError('unsupported', 'an iCalendar feed is read-only');
  }

  async remove(): Promise<never> {
    throw new ProviderError('unsupported', 'an iCalendar feed is read-only');
  }
}
