import { createHash, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ProblemException } from '@cs/platform';

const logger = new Logger('Webhooks');

/** Compares a secret a request carries with ours in constant time (digests have one length). */
export function sameSecret(received: string | null | undefined, expected: string | null): boolean {
  if (received === null || received === undefined || expected === null) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/**
 * The one answer to anything that fails verification: 401, the same detail whatever failed, so
 * a forger learns nothing; the log says which provider and why, never the secret.
 */
export function refused(provider: string, reason: string): ProblemException {
  logger.warn({ msg: 'webhook refused', provider, reason });
  return new ProblemException({
    status: 401,
    type: 'webhook-refused',
    detail: 'the notification could not be verified',
  });
}
