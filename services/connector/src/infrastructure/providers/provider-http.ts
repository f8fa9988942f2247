import { ProviderError } from '../../domain/provider/provider-error';

/**
 * What a calendar API's answer means once throttling and an unreachable server are ruled out;
 * Google (https://developers.google.com/calendar/api/guides/errors) and Graph
 * (https://learn.microsoft.com/en-us/graph/errors) use the statuses alike: 401/403 mean the
 * token or the consent is gone, 409/412 that the item is not what the caller last saw.
 */
export function providerErrorForStatus(status: number, message: string): ProviderError {
  switch (status) {
    case 401:
    case 403:
      return new ProviderError('auth_revoked', message);
    case 404:
    case 410:
      return new ProviderError('not_found', message);
    case 409:
    case 412:
      return new ProviderError('precondition_failed', message);
    case 400:
      return new ProviderError('invalid_data', message);
    default:
      return new ProviderError('transient', message);
  }
}

/** The item (or channel) is not there any more: deleting it again is what was asked for. */
export const isGone = (status: number | undefined): boolean => status === 404 || status === 410;

/** The ETag a write or delete is conditional on; none (or `*`) writes over whatever is there. */
export const ifMatchHeader = (ifMatch: string | null): Record<string, string> =>
  ifMatch && ifMatch !== '*' ? { 'If-Match': ifMatch } : {};
