import { ProviderError, retryAfterMs } from '../../domain/provider/provider-error';
import { isTimeout } from './connect-deadline';
import { publicOnlyFetch } from './public-only-fetch';

/** Far above any calendar API answer or CalDAV multiget; a server sending more is broken. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface ProviderFetchOptions {
  /** The whole exchange, from connecting to the last byte. */
  timeoutMs: number;
  /** Connecting alone, so a server that never accepts fails fast (default 5 s). */
  connectTimeoutMs?: number;
  /** Called once per request; the benchmark counts requests with it. */
  onRequest?: (method: string, url: string) => void;
  /** The transport (see `publicOnlyFetch`); by default one that goes anywhere. */
  transport?: typeof fetch;
}

/** `publicOnlyFetch` without its address policy, for the API endpoints this service is configured with. */
export const anyAddressFetch = (connectTimeoutMs?: number): typeof fetch =>
  publicOnlyFetch(() => new Error('refused'), MAX_RESPONSE_BYTES, {
    allowed: () => true,
    allowInternalNames: true,
    connectTimeoutMs,
  });

/**
 * `fetch` as provider adapters hand it to their client library: a deadline on every request,
 * and transport failures, 401, 429 and 5xx turned into `ProviderError`s. Other statuses
 * (404, 412, a 207 multistatus) are the caller's to read.
 */
export function providerFetch(options: ProviderFetchOptions): typeof fetch {
  const transport = options.transport ?? anyAddressFetch(options.connectTimeoutMs);
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    options.onRequest?.(method, url);
    let response: Response;
    try {
      response = await transport(input, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      // The address policy refused the connection: say so, it is not a passing failure.
      if ((error as Error).cause instanceof ProviderError) throw (error as Error).cause;
      const host = new URL(url).host;
      if (isTimeout(error)) throw new ProviderError('timeout', `${method} ${host}: timed out`);
      throw new ProviderError('transient', `${method} ${host}: unreachable`);
    }
    const where = `${method} ${new URL(url).pathname}`;
    if (response.status === 401)
      throw new ProviderError('auth_revoked', `${where}: the server refused the credentials`);
    if (response.status === 429 || response.status === 503) {
      const wait = retryAfterMs(response.headers.get('retry-after'), response.headers.get('date'));
      if (response.status === 429 || wait !== null)
        throw new ProviderError('rate_limited', `${where}: rate limited`, wait);
    }
    if (response.status >= 500)
      throw new ProviderError('transient', `${where}: server error ${response.status}`);
    return response;
  };
}
