import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { afterFailure, messageIdOf } from './delivery';

const policy = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 3_600_000 };

describe('afterFailure', () => {
  it('waits longer after each failure, never past the cap, and gives up after the last attempt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (attempt, now) => {
          const next = afterFailure(attempt, false, now, policy);
          if (attempt >= policy.maxAttempts) {
            expect(next).toEqual({ final: true });
            return;
          }
          if (next.final) throw new Error('expected a retry');
          const delay = next.nextAttemptAt - now;
          expect(delay).toBeGreaterThanOrEqual(policy.baseDelayMs);
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
          const later = afterFailure(attempt + 1, false, now, policy);
          if (!later.final) expect(later.nextAttemptAt).toBeGreaterThanOrEqual(next.nextAttemptAt);
        },
      ),
    );
  });

  it('gives up at once on a permanent error', () => {
    expect(afterFailure(1, true, 0, policy)).toEqual({ final: true });
  });

  it('gives a notification the same Message-ID on every attempt', () => {
    expect(messageIdOf('n-1', 'example.org')).toBe('<n-1@example.org>');
  });
});
