import { ProviderError, retryAfterMs } from '../../domain/provider/provider-error';

export interface ProviderFetchOptions {
  timeoutMs: number;
  /** Called once per request; the benchmark counts requests with it. */
  onRequest?: (method: string, url: string) => void;
  /** The transport (see `publicOnlyFetch`); the global `fetch` goes anywhere. */
  transport?: typeof fetch;
}

/**
 * `fetch` as provider adapters hand it to their client library: a deadline on every request,
 * and transport failures, 401, 429 and 5xx turned into `ProviderError`s. Other statuses
 * (404, 412, a 207 multistatus) are the caller's to read.
 */
export function providerFetch(options: ProviderFetchOptions): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    options.onRequest?.(method, url);
    let response: Response;
    try {
      response = await (options.transport ?? fetch)(input, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      // The address policy refused the connection: say so, it is not a passing failure.
      if ((error as Error).cause instanceof ProviderError) throw (error as Error).cause;
      throw new ProviderError(
        'transient',
        `${method} ${new URL(url).host}: ${(error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`,
      );
    }
    const where = `${method} ${new URL(url).pathname}`;
    if (response.status === 401)
      throw new ProviderError('auth_revoked', `${where}: the server refused the credentials`);
    if (response.status === 429 || response.status === 503) {
      const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
      if (response.status === 429 || wait !== null)
        throw new ProviderError('rate_limited', `${where}: rate limited`, wait);
    }
    if (response.status >= 500)
      throw new ProviderError('transient', `${where}: server error ${response.status}`);
    return response;
  };
}
