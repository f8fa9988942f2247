import type { EmulatorReply } from '../shared/emulator-server';

/**
 * An error as Calendar API v3 sends it: `{ error: { code, message, errors: [{ domain,
 * reason, message }] } }` (https://developers.google.com/calendar/api/guides/errors).
 */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly domain = 'global',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  reply(): EmulatorReply {
    const { status, reason, domain, message } = this;
    return {
      status,
      headers: this.headers,
      body: { error: { code: status, message, errors: [{ domain, reason, message }] } },
    };
  }
}

export const notFound = () => new GoogleApiError(404, 'notFound', 'Not Found');

export const badRequest = (reason: string, message: string) =>
  new GoogleApiError(400, reason, message);

export const fullSyncRequired = () =>
  new GoogleApiError(
    410,
    'fullSyncRequired',
    'Sync token is no longer valid, a full sync is required.',
  );

export const conditionNotMet = () =>
  new GoogleApiError(412, 'conditionNotMet', 'Precondition Failed');

/** The quota and server errors a test injects; reasons as the errors guide lists them. */
export function injectedError(status: number, reason: string | undefined, retryAfter?: number) {
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  if (status === 403 || status === 429) {
    const why = reason ?? 'rateLimitExceeded';
    const message =
      why === 'userRateLimitExceeded' ? 'User Rate Limit Exceeded' : 'Rate Limit Exceeded';
    return new GoogleApiError(status, why, message, 'usageLimits', headers);
  }
  if (status === 401)
    return new GoogleApiError(401, reason ?? 'authError', 'Invalid Credentials', 'global', headers);
  return new GoogleApiError(status, reason ?? 'backendError', 'Backend Error', 'global', headers);
}
