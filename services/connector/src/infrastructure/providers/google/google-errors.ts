import { ProviderError, retryAfterMs } from '../../../domain/provider/provider-error';
import { isTimeout } from '../connect-deadline';
import { providerErrorForStatus } from '../provider-http';

interface GoogleFailure {
  status?: number;
  code?: string | number;
  message?: string;
  response?: {
    status?: number;
    headers?: { get(name: string): string | null } | Record<string, string>;
    data?: { error?: string | { errors?: Array<{ reason?: string }>; message?: string } };
  };
}

const QUOTA_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

/** gaxios answers fetch `Headers` (not always this realm's class), older versions a plain object. */
const headerOf = (
  headers: { get(name: string): string | null } | Record<string, string> | undefined,
  name: string,
): string | null =>
  typeof headers?.get === 'function'
    ? (headers.get as (n: string) => string | null)(name)
    : ((headers as Record<string, string> | undefined)?.[name] ?? null);

/**
 * A failed call through the official client, as a `ProviderError`
 * (https://developers.google.com/calendar/api/guides/errors): 403 with a rate-limit reason
 * and 429 are quota errors to wait out, 401 and `invalid_grant` mean the Pro's consent is gone.
 */
export function providerErrorOf(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = error as GoogleFailure;
  const status = failure.response?.status ?? failure.status;
  const data = failure.response?.data?.error;
  if (data === 'invalid_grant' || data === 'unauthorized_client')
    return new ProviderError('auth_revoked', `Google refused the grant while ${what}`);
  const reason = typeof data === 'object' ? data.errors?.[0]?.reason : undefined;
  const message = `Google answered ${status ?? 'nothing'}${reason ? ` (${reason})` : ''} while ${what}`;
  if (status === 429 || (status === 403 && reason !== undefined && QUOTA_REASONS.has(reason)))
    return new ProviderError(
      'rate_limited',
      message,
      retryAfterMs(
        headerOf(failure.response?.headers, 'retry-after'),
        headerOf(failure.response?.headers, 'date'),
      ),
    );
  if (status === undefined)
    return isTimeout(error) || failure.code === 'TimeoutError'
      ? new ProviderError('timeout', `Google did not answer in time while ${what}`)
      : new ProviderError('transient', `Google could not be reached while ${what}`);
  return providerErrorForStatus(status, message);
}

export const statusOf = (error: unknown): number | undefined => {
  const failure = error as GoogleFailure;
  return failure.response?.status ?? failure.status;
};
