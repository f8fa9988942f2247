import {
  calendarMultiGet,
  calendarQuery,
  createObject,
  deleteObject,
  fetchCalendars,
  fetchHomeUrl,
  fetchPrincipalUrl,
  propfind,
  serviceDiscovery,
  syncCollection,
  updateObject,
  type DAVAccount,
  type DAVResponse,
} from 'tsdav';
import type {
  CalendarProvider,
  CalendarRef,
  Credentials,
  DiscoveredCalendar,
  FetchedItem,
  ItemWrite,
  ListedItem,
  Listing,
} from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import { publicOnlyFetch } from '../public-only-fetch';
import { providerFetch, type ProviderFetchOptions } from '../provider-fetch';

type CalDavCredentials = Extract<Credentials, { provider: 'caldav' }>;

const SYNC = 'sync:';
const CTAG = 'ctag:';
const WRITE_PRIVILEGES = ['all', 'write', 'writeContent', 'bind'];
const EVENTS_ONLY = {
  'comp-filter': {
    _attributes: { name: 'VCALENDAR' },
    'comp-filter': { _attributes: { name: 'VEVENT' } },
  },
};

export interface CalDavOptions extends ProviderFetchOptions {
  /** Lists with etag REPORTs even where sync-collection is offered (benchmarks, fallback tests). */
  disableSyncCollection?: boolean;
  /** Self-hosted servers on a private network, and tests; otherwise only public addresses. */
  allowPrivateAddresses: boolean;
}

/** Far above a multiget of thousands of events; a server sending more is not a calendar. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const notPublic = () =>
  new ProviderError(
    'invalid_data',
    'CalDAV server address is not public (loopback, private, link-local or metadata)',
  );

function caldav(credentials: Credentials): CalDavCredentials {
  if (credentials.provider !== 'caldav') throw new Error('CalDAV adapter given other credentials');
  return credentials;
}

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && '_cdata' in value) return String(value._cdata);
  if (typeof value === 'object' && '_text' in value) return String(value._text);
  return typeof value === 'object' ? null : String(value);
};

/** Report names in a supported-report-set, with or without the `DAV:report` wrapper (Xandikos omits it). */
function reportNames(set: unknown): string[] {
  const reports = [
    (set as { supportedReport?: unknown } | undefined)?.supportedReport ?? [],
  ].flat();
  return reports.flatMap((r) => {
    const entry = (r ?? {}) as Record<string, unknown>;
    return Object.keys((entry.report as object | undefined) ?? entry);
  });
}

/** The first non-2xx top-level answer of a DAV request, as a typed error. */
function failed(responses: DAVResponse[], what: string): ProviderError | null {
  const top = responses.find((r) => r.href === undefined || !r.props);
  const status = top && !top.ok ? top.status : undefined;
  if (status === undefined) return null;
  if (status === 404) return new ProviderError('not_found', `${what}: not found`);
  if (status === 403) return new ProviderError('auth_revoked', `${what}: forbidden`);
  return new ProviderError('transient', `${what}: status ${status}`);
}

/**
 * CalDAV through tsdav. Lists with RFC 6578 sync-collection where the collection offers it and
 * with an etag-only calendar-query REPORT otherwise (never PROPFIND Depth:1 over a collection);
 * every write is conditional.
 */
export class CalDavProvider implements CalendarProvider {
  readonly provider = 'caldav' as const;
  private readonly http: typeof fetch;

  constructor(private readonly options: CalDavOptions) {
    this.http = providerFetch({
      ...options,
      transport: publicOnlyFetch(notPublic, MAX_RESPONSE_BYTES, {
        ...(options.allowPrivateAddresses ? { allowed: () => true, allowInternalNames: true } : {}),
        connectTimeoutMs: options.connectTimeoutMs,
      }),
    });
  }

  private headers(credentials: Credentials): Record<string, string> {
    const { username, password } = caldav(credentials);
    return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  }

  async discover(credentials: Credentials): Promise<DiscoveredCalendar[]> {
    const { serverUrl } = caldav(credentials);
    const headers = this.headers(credentials);
    const common = { headers, fetch: this.http };
    const account: DAVAccount = { serverUrl, accountType: 'caldav' };
    account.rootUrl = await serviceDiscovery({ account, ...common });
    try {
      account.principalUrl = await fetchPrincipalUrl({ account, ...common });
      account.homeUrl = await fetchHomeUrl({ account, ...common });
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError('not_found', `no CalDAV principal or calendar home at ${serverUrl}`);
    }
    const calendars = await fetchCalendars({
      account,
      ...common,
      props: {
        'd:displayname': {},
        'ca:calendar-color': {},
        'd:resourcetype': {},
        'c:supported-calendar-component-set': {},
        'd:sync-token': {},
        'd:current-user-privilege-set': {},
        'd:supported-report-set': {},
      },
      projectedProps: { currentUserPrivilegeSet: true, supportedReportSet: true },
    });
    return calendars
      .filter(
        (c) =>
          c.components === undefined ||
          c.components.length === 0 ||
          c.components.includes('VEVENT'),
      )
      .map((c) => {
        const privileges = c.projectedProps?.currentUserPrivilegeSet as
          { privilege?: unknown } | undefined;
        const granted = [privileges?.privilege ?? []]
          .flat()
          .flatMap((p) => Object.keys((p as object) ?? {}));
        return {
          url: c.url,
          name: text(c.displayName) ?? new URL(c.url).pathname,
          color: text(c.calendarColor)?.slice(0, 7) ?? null,
          // A server that does not report privileges is taken at its word that we may write.
          writable: privileges === undefined || granted.some((p) => WRITE_PRIVILEGES.includes(p)),
          supportsDelta:
            (c.reports ?? []).includes('syncCollection') ||
            reportNames(c.projectedProps?.supportedReportSet).includes('syncCollection'),
        };
      });
  }

  async list(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<Listing> {
    if (calendar.supportsDelta && !this.options.disableSyncCollection) {
      const token = cursor?.startsWith(SYNC) ? cursor.slice(SYNC.length) : null;
      // An expired or unknown token (403/409/410 with DAV:valid-sync-token; Xandikos answers 500)
      // means a full listing; if that fails too, the server is in trouble and the error stands.
      const delta =
        token === null
          ? null
          : await this.syncCollection(credentials, calendar, token).catch((error: unknown) => {
              if (error instanceof ProviderError && error.kind === 'transient') return null;
              throw error;
            });
      return delta ?? (await this.syncCollection(credentials, calendar, null))!;
    }
    return this.etagReport(credentials, calendar, cursor);
  }

  private async syncCollection(
    credentials: Credentials,
    calendar: CalendarRef,
    token: string | null,
  ): Promise<Listing | null> {
    const responses = await syncCollection({
      url: calendar.url,
      props: { 'd:getetag': {} },
      syncLevel: 1,
      syncToken: token ?? '',
      headers: { ...this.headers(credentials), depth: '0' },
      fetch: this.http,
    });
    const top = responses.find((r) => r.href === undefined || !r.props);
    if (token !== null && top && !top.ok && [403, 409, 410].includes(top.status ?? 0)) return null;
    const error = failed(responses, 'sync-collection');
    if (error) throw error;
    const collectionPath = new URL(calendar.url).pathname;
    const items: ListedItem[] = [];
    const removed: string[] = [];
    for (const response of responses) {
      const href = text(response.href);
      if (!href || href === collectionPath || href.endsWith('/')) continue;
      if (response.status === 404) removed.push(href);
      else items.push({ href, etag: text(response.props?.getetag) });
    }
    const raw = responses[0]?.raw as { multistatus?: { syncToken?: unknown } } | undefined;
    const next = text(raw?.multistatus?.syncToken);
    return {
      kind: token === null ? 'full' : 'delta',
      items,
      removed,
      cursor: next ? SYNC + next : null,
    };
  }

  private async etagReport(
    credentials: Credentials,
    calendar: CalendarRef,
    cursor: string | null,
  ): Promise<Listing> {
    const headers = this.headers(credentials);
    const [state] = await propfind({
      url: calendar.url,
      props: { 'cs:getctag': {} },
      depth: '0',
      headers,
      fetch: this.http,
    });
    const ctag = text(state?.props?.getctag);
    // An unchanged collection tag means nothing changed: one cheap request instead of a listing.
    if (ctag && cursor === CTAG + ctag) return { kind: 'delta', items: [], removed: [], cursor };
    const responses = await calendarQuery({
      url: calendar.url,
      props: { 'd:getetag': {} },
      filters: EVENTS_ONLY,
      depth: '1',
      headers,
      fetch: this.http,
    });
    const error = failed(responses, 'calendar-query');
    if (error) throw error;
    return {
      kind: 'full',
      items: responses
        .filter((r) => r.ok && text(r.href))
        .map((r) => ({ href: text(r.href)!, etag: text(r.props?.getetag) })),
      removed: [],
      cursor: ctag ? CTAG + ctag : null,
    };
  }

  async fetch(
    credentials: Credentials,
    calendar: CalendarRef,
    hrefs: string[],
  ): Promise<FetchedItem[]> {
    if (hrefs.length === 0) return [];
    const responses = await calendarMultiGet({
      url: calendar.url,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      objectUrls: hrefs,
      depth: '1',
      headers: this.headers(credentials),
      fetch: this.http,
    });
    const error = failed(responses, 'calendar-multiget');
    if (error) throw error;
    return responses.flatMap((r) => {
      const href = text(r.href);
      const data = text(r.props?.calendarData);
      return r.ok && href && data ? [{ href, etag: text(r.props?.getetag), data }] : [];
    });
  }

  /**
   * The owner's addresses: the login when it is an email address (iCloud, Fastmail, Nextcloud
   * by email), and the calendar-user-address-set of the current user's principal (RFC 6638
   * §2.4.1) where the server reports one; a server that reports none leaves the login alone.
   */
  async owner(credentials: Credentials, calendar: CalendarRef): Promise<string[]> {
    const { username } = caldav(credentials);
    const login = /^[^@\s]+@[^@\s]+$/.test(username) ? [username] : [];
    const headers = this.headers(credentials);
    const hrefs = (value: unknown): string[] =>
      [(value as { href?: unknown } | undefined)?.href ?? []].flat().flatMap((h) => text(h) ?? []);
    const [self] = await propfind({
      url: calendar.url,
      props: { 'd:current-user-principal': {} },
      depth: '0',
      headers,
      fetch: this.http,
    });
    const [principal] = hrefs(self?.props?.currentUserPrincipal);
    if (!principal) return login;
    const [addresses] = await propfind({
      url: new URL(principal, calendar.url).href,
      props: { 'c:calendar-user-address-set': {} },
      depth: '0',
      headers,
      fetch: this.http,
    });
    return [...new Set([...login, ...hrefs(addresses?.props?.calendarUserAddressSet)])];
  }

  async write(
    credentials: Credentials,
    calendar: CalendarRef,
    write: ItemWrite,
  ): Promise<ListedItem> {
    const url = new URL(
      write.href ?? `${encodeURIComponent(write.uid.replace(/[^A-Za-z0-9._-]/g, '_'))}.ics`,
      calendar.url.endsWith('/') ? calendar.url : `${calendar.url}/`,
    ).href;
    const headers = {
      ...this.headers(credentials),
      'content-type': 'text/calendar; charset=utf-8',
    };
    const response =
      write.ifMatch === null
        ? await createObject({
            url,
            data: write.data,
            headers: { ...headers, 'if-none-match': '*' },
            fetch: this.http,
          })
        : await updateObject({
            url,
            data: write.data,
            // '*' writes over whatever is there, or creates; Radicale 3.1 compares If-Match
            // literally and refuses '*', so that write goes out unconditional.
            etag: write.ifMatch === '*' ? undefined : write.ifMatch,
            headers,
            fetch: this.http,
          });
    const href = new URL(url).pathname;
    if (response.status === 412)
      throw new ProviderError('precondition_failed', `PUT ${href}: changed on the server`);
    if (response.status === 404)
      throw new ProviderError('not_found', `PUT ${href}: no such calendar`);
    if (response.status === 403) throw new ProviderError('auth_revoked', `PUT ${href}: forbidden`);
    if (!response.ok)
      throw new ProviderError('invalid_data', `PUT ${href}: refused (${response.status})`);
    return { href, etag: response.headers.get('etag') ?? (await this.etagOf(credentials, url)) };
  }

  private async etagOf(credentials: Credentials, url: string): Promise<string | null> {
    const [response] = await propfind({
      url,
      props: { 'd:getetag': {} },
      depth: '0',
      headers: this.headers(credentials),
      fetch: this.http,
    });
    return text(response?.props?.getetag);
  }

  async remove(
    credentials: Credentials,
    calendar: CalendarRef,
    href: string,
    ifMatch: string | null,
  ): Promise<void> {
    const url = new URL(href, calendar.url).href;
    const response = await deleteObject({
      url,
      etag: ifMatch ?? undefined,
      headers: this.headers(credentials),
      fetch: this.http,
    });
    if (response.status === 412)
      throw new ProviderError('precondition_failed', `DELETE ${href}: changed on the server`);
    // Already gone is what a delete wants.
    if (!response.ok && response.status !== 404)
      throw new ProviderError('transient', `DELETE ${href}: status ${response.status}`);
  }
}
