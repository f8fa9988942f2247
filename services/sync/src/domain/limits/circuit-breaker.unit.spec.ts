import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import type { FailureKind } from '../sync-state/sync-health';
import { admit, type Breaker, type BreakerRule, closed, record } from './circuit-breaker';

const rule: BreakerRule = { threshold: 3, cooldownMs: 1_000 };
const fail = (b: Breaker, now = 0, kind: FailureKind = 'transient') => record(b, rule, now, kind);

describe('circuit breaker', () => {
  it('opens after the threshold of transient failures in a row', () => {
    const twice = fail(fail(closed));
    expect(twice).toEqual({ status: 'closed', failures: 2 });
    expect(admit(twice, rule, 0).admitted).toBe(true);
    const open = fail(twice, 100);
    expect(open).toEqual({ status: 'open', until: 1_100 });
    expect(admit(open, rule, 1_099)).toEqual({ admitted: false, retryAt: 1_100 });
  });

  it('a success in between starts the count again', () => {
    expect(fail(record(fail(fail(closed)), rule, 0, null))).toEqual({
      status: 'closed',
      failures: 1,
    });
  });

  it("an account's own problems say nothing about the provider", () => {
    for (const kind of ['auth_revoked', 'not_found', 'precondition_failed'] as const)
      expect(fail(fail(fail(closed)), 0, kind)).toEqual(closed);
  });

  it('after the cool-down lets one trial through: success closes, failure opens again', () => {
    const open: Breaker = { status: 'open', until: 1_000 };
    const trial = admit(open, rule, 1_000);
    if (!trial.admitted) throw new Error('expected the trial to be admitted');
    expect(trial.breaker).toEqual({ status: 'half_open', until: 2_000 });
    expect(admit(trial.breaker, rule, 1_500)).toEqual({ admitted: false, retryAt: 2_000 });
    expect(record(trial.breaker, rule, 1_200, null)).toEqual(closed);
    expect(fail(trial.breaker, 1_200)).toEqual({ status: 'open', until: 2_200 });
  });

  it('while open, nothing is admitted before the cool-down ends, whatever happens', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 600 }),
            outcome: fc.constantFrom<FailureKind | null>(null, 'transient', 'rate_limited'),
          }),
          { maxLength: 100 },
        ),
        (steps) => {
          let breaker: Breaker = closed;
          let now = 0;
          for (const step of steps) {
            now += step.gap;
            const answer = admit(breaker, rule, now);
            if (breaker.status !== 'closed' && now < breaker.until)
              expect(answer.admitted).toBe(false);
            if (!answer.admitted) continue;
            breaker = record(answer.breaker, rule, now, step.outcome);
            if (breaker.status === 'closed') expect(breaker.failures).toBeLessThan(rule.threshold);
          }
        },
      ),
    );
  });
});
