import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  afterFailure,
  type FailureKind,
  healthy,
  nextPoll,
  type SyncState,
  type Timing,
  worstState,
} from './sync-health';

const timing = (random = 0.5): Timing => ({
  now: 1_000_000,
  pollMs: 60_000,
  random,
  maxBackoffMs: 300_000,
  reauthAfter: 2,
});
const kinds: FailureKind[] = [
  'auth_revoked',
  'rate_limited',
  'not_found',
  'precondition_failed',
  'transient',
  'unsupported',
  'invalid_data',
];

describe('sync health', () => {
  it('polls within ±20 % of the interval', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (random) => {
        const at = nextPoll({ now: 0, pollMs: 60_000, random });
        expect(at).toBeGreaterThanOrEqual(48_000);
        expect(at).toBeLessThanOrEqual(72_000);
      }),
    );
  });

  it('never retries before a Retry-After, and backs off within the cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (sequence, retryAfterMs, random) => {
          let health = healthy;
          for (const kind of sequence) {
            const { health: next, retryAt } = afterFailure(
              health,
              { kind, retryAfterMs },
              timing(random),
            );
            expect(next.failures).toBe(health.failures + 1);
            if (kind === 'rate_limited')
              expect(retryAt).toBeGreaterThanOrEqual(timing().now + retryAfterMs);
            if (retryAt !== null && kind !== 'rate_limited')
              expect(retryAt - timing().now).toBeLessThanOrEqual(300_000);
            if (next.state === 'reauth_required' || next.state === 'disabled')
              expect(retryAt).toBeNull();
            else expect(next.state).toBe('degraded');
            health = next;
          }
        },
      ),
    );
  });

  it('asks the Pro to sign in again after repeated auth failures, not after one', () => {
    const once = afterFailure(healthy, { kind: 'auth_revoked', retryAfterMs: null }, timing());
    expect(once.health.state).toBe('degraded');
    const twice = afterFailure(once.health, { kind: 'auth_revoked', retryAfterMs: null }, timing());
    expect(twice).toEqual({
      health: { state: 'reauth_required', failures: 2, authFailures: 2 },
      retryAt: null,
    });
  });

  it('disables a calendar that no longer exists', () => {
    expect(
      afterFailure(healthy, { kind: 'not_found', retryAfterMs: null }, timing()).health.state,
    ).toBe('disabled');
  });

  it('rates a group of calendars by its worst one, ok when there are none', () => {
    const states: SyncState[] = ['ok', 'degraded', 'reauth_required', 'disabled'];
    expect(worstState([])).toBe('ok');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...states), { minLength: 1 }), (group) => {
        const worst = worstState(group);
        expect(group).toContain(worst);
        for (const s of group) expect(states.indexOf(s)).toBeLessThanOrEqual(states.indexOf(worst));
      }),
    );
  });
});
