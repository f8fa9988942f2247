import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { ProviderError, retryAfterMs } from '../../../domain/provider/provider-error';
import { isTimeout } from '../connect-deadline';
import { providerErrorForStatus } from '../provider-http';

/** Entra ID's answers that mean the Pro has to sign in again (consent revoked, grant expired). */
const REAUTH_CODES = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'invalid_client',
  'unauthorized_client',
]);

function msalError(error: AuthError, what: string): ProviderError {
  if (error instanceof InteractionRequiredAuthError || REAUTH_CODES.has(error.errorCode))
    return new ProviderError('auth_revoked', `Microsoft refused the grant while ${what}`);
  return new ProviderError(
    'transient',
    `Microsoft sign-in failed while ${what} (${error.errorCode || 'no code'})`,
  );
}

/**
 * A failed call through MSAL or the Graph client, as a `ProviderError`. Throttling
 * (https://learn.microsoft.com/en-us/graph/throttling): 429, and 503 with `Retry-After`, are
 * waited out for as long as Graph asks; 401/403 mean the token or the consent is gone
 * (https://learn.microsoft.com/en-us/graph/errors).
 */
export function providerErrorOf(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (isTimeout(error) || (error instanceof GraphError && error.code === 'TimeoutError'))
    return new ProviderError('timeout', `Microsoft did not answer in time while ${what}`);
  if (error instanceof AuthError) return msalError(error, what);
  if (!(error instanceof GraphError))
    return new ProviderError('transient', `Microsoft failed while ${what}`);
  const status = error.statusCode;
  const headers = error.headers;
  const wait = retryAfterMs(headers?.get('retry-after') ?? null, headers?.get('date') ?? null);
  const message = `Microsoft Graph answered ${status}${error.code ? ` (${error.code})` : ''} while ${what}`;
  if (status === 429 || (status === 503 && wait !== null))
    return new ProviderError('rate_limited', message, wait);
  if (status === -1 || status === 0)
    return new ProviderError('transient', `Microsoft Graph could not be reached while ${what}`);
  return providerErrorForStatus(status, message);
}

export const statusOf = (error: unknown): number | undefined =>
  error instanceof GraphError ? error.statusCode : undefined;
