import type { z } from 'zod';
import type { providerErrorKinds, providerErrorSchema } from '@cs/contracts';

export type ProviderErrorKind = (typeof providerErrorKinds)[number];

/**
 * What went wrong at a provider, in terms the sync side can act on: stop and ask the Pro
 * (auth_revoked), wait (rate_limited, with the provider's Retry-After), re-read
 * (precondition_failed), give up on the item (not_found) or retry with backoff (transient).
 * Messages never carry credentials.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }

  toJSON(): z.infer<typeof providerErrorSchema> {
    return { kind: this.kind, message: this.message, retryAfterMs: this.retryAfterMs };
  }
}

/**
 * `Retry-After` is seconds or an HTTP date; a date is read against the same response's `Date`
 * header, the server's own clock, so our clock's skew does not matter (without it: unknown).
 */
export function retryAfterMs(header: string | null, serverDate: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(header);
  const now = serverDate === null ? NaN : Date.parse(serverDate);
  return Number.isNaN(at) || Number.isNaN(now) ? null : Math.max(0, at - now);
}
