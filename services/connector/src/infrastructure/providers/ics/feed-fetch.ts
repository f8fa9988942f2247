import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ProviderError, retryAfterMs } from '../../../domain/provider/provider-error';
import { guardedLookup, isInternalName, isPublicAddress, literalAddress } from '../address-policy';
import { DEFAULT_CONNECT_TIMEOUT_MS, limitConnect } from '../connect-deadline';

export interface FeedFetchOptions {
  maxBytes: number;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Connecting alone, so a server that never accepts fails fast (default 5 s). */
  connectTimeoutMs?: number;
  maxRedirects: number;
  /** Tests only: lets feeds on loopback and private networks through. */
  allowPrivateAddresses: boolean;
}

export interface Conditional {
  etag: string | null;
  lastModified: string | null;
}

export type FeedResponse =
  | { status: 'not_modified' }
  | { status: 'ok'; body: string; etag: string | null; lastModified: string | null };

/**
 * GET of a URL a user gave us. The address is checked after DNS resolution, in the lookup the
 * socket itself uses (so a second resolution cannot swap it), again on every redirect; the
 * size and the whole exchange are capped.
 */
export async function fetchFeed(
  url: string,
  conditional: Conditional,
  options: FeedFetchOptions,
): Promise<FeedResponse> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let target = checkedUrl(url, options);
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const response = await get(target, conditional, options, deadline);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new ProviderError('invalid_data', `feed redirect without a Location`);
      target = checkedUrl(new URL(location, target).href, options);
      continue;
    }
    if (status === 304) {
      response.resume();
      return { status: 'not_modified' };
    }
    if (status === 401 || status === 403) {
      response.resume();
      throw new ProviderError('auth_revoked', `feed answered ${status}`);
    }
    if (status === 404 || status === 410) {
      response.resume();
      throw new ProviderError('not_found', `feed answered ${status}`);
    }
    if (status === 429 || status >= 500) {
      response.resume();
      const header = response.headers['retry-after'];
      const date = response.headers.date ?? null;
      const wait = retryAfterMs(typeof header === 'string' ? header : null, date);
      throw status === 429
        ? new ProviderError('rate_limited', 'feed rate limited', wait)
        : new ProviderError('transient', `feed answered ${status}`, wait);
    }
    if (status !== 200) {
      response.resume();
      throw new ProviderError('invalid_data', `feed answered ${status}`);
    }
    const body = await readCapped(response, options.maxBytes);
    const header = (name: string) => {
      const value = response.headers[name];
      return typeof value === 'string' ? value : null;
    };
    return { status: 'ok', body, etag: header('etag'), lastModified: header('last-modified') };
  }
  throw new ProviderError(
    'invalid_data',
    `feed redirected more than ${options.maxRedirects} times`,
  );
}

function checkedUrl(url: string, options: FeedFetchOptions): URL {
  let parsed: URL;
  try {
    parsed = new URL(
      url.replace(/^webcals?:/i, (scheme) => (scheme.length > 7 ? 'https:' : 'http:')),
    );
  } catch {
    throw new ProviderError('invalid_data', 'feed URL is not a URL');
  }
  if (!['http:', 'https:'].includes(parsed.protocol))
    throw new ProviderError('invalid_data', 'feed URL must be http(s)');
  if (parsed.username || parsed.password)
    throw new ProviderError('invalid_data', 'feed URL may not carry a user name or password');
  const literal = literalAddress(parsed.hostname);
  if (
    !options.allowPrivateAddresses &&
    (literal !== null ? !isPublicAddress(literal) : isInternalName(parsed.hostname))
  )
    throw refused();
  return parsed;
}

const refused = () =>
  new ProviderError(
    'invalid_data',
    'feed address is not public (loopback, private, link-local, metadata or an internal name)',
  );

function get(
  url: URL,
  conditional: Conditional,
  options: FeedFetchOptions,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const headers: Record<string, string> = {
    accept: 'text/calendar, */*;q=0.5',
    'user-agent': 'CareService-Calendar/1 (+feed sync)',
  };
  if (conditional.etag) headers['if-none-match'] = conditional.etag;
  if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers,
      signal,
      ...(options.allowPrivateAddresses ? {} : { lookup: guardedLookup(refused) }),
    });
    limitConnect(req, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    req.once('response', resolve);
    req.once('error', (error) => {
      if (error instanceof ProviderError) return reject(error);
      if (signal.aborted || error.name === 'TimeoutError')
        return reject(new ProviderError('timeout', 'feed timed out'));
      reject(
        new ProviderError(
          'transient',
          `feed unreachable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        ),
      );
    });
    req.end();
  });
}

function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', (error) =>
      reject(
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? new ProviderError('timeout', 'feed timed out while sending')
          : new ProviderError('transient', 'feed broke off'),
      ),
    );
  });
}

const tooLarge = (maxBytes: number) =>
  new ProviderError('invalid_data', `feed is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
