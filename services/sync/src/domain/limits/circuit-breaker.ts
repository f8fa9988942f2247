import type { FailureKind } from '../sync-state/sync-health';

export interface BreakerRule {
  /** Transient failures in a row that open the breaker. */
  threshold: number;
  /** How long it stays open before one trial call is let through. */
  cooldownMs: number;
}

export type Breaker =
  | { status: 'closed'; failures: number }
  | { status: 'open'; until: number }
  /** One trial call is under way; another is let through only if it has not answered by `until`. */
  | { status: 'half_open'; until: number };

export const closed: Breaker = { status: 'closed', failures: 0 };

export type Admission = { admitted: true; breaker: Breaker } | { admitted: false; retryAt: number };

export function admit(breaker: Breaker, rule: BreakerRule, now: number): Admission {
  switch (breaker.status) {
    case 'closed':
      return { admitted: true, breaker };
    case 'open':
    case 'half_open':
      if (now < breaker.until) return { admitted: false, retryAt: breaker.until };
      return { admitted: true, breaker: { status: 'half_open', until: now + rule.cooldownMs } };
    default: {
      const unknown: never = breaker;
      throw new Error(`unhandled breaker ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Only failures that say the provider itself is struggling count; a refused password or a
 * missing calendar is one account's problem and proves the provider answers.
 */
export const countsAgainstProvider = (kind: FailureKind | null): boolean =>
  kind === 'transient' || kind === 'timeout' || kind === 'rate_limited';

export function record(
  breaker: Breaker,
  rule: BreakerRule,
  now: number,
  failure: FailureKind | null,
): Breaker {
  if (!countsAgainstProvider(failure)) return closed;
  switch (breaker.status) {
    case 'closed': {
      const failures = breaker.failures + 1;
      return failures >= rule.threshold
        ? { status: 'open', until: now + rule.cooldownMs }
        : { status: 'closed', failures };
    }
    case 'half_open':
      return { status: 'open', until: now + rule.cooldownMs };
    case 'open':
      return breaker;
    default: {
      const unknown: never = breaker;
      throw new Error(`unhandled breaker ${JSON.stringify(unknown)}`);
    }
  }
}
