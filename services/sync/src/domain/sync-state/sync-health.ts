export type SyncState = 'ok' | 'degraded' | 'reauth_required' | 'disabled';

export type FailureKind =
  | 'auth_revoked'
  | 'rate_limited'
  | 'not_found'
  | 'precondition_failed'
  | 'transient'
  | 'unsupported'
  | 'invalid_data'
  | 'timeout';

export interface Health {
  state: SyncState;
  failures: number;
  authFailures: number;
}

export interface Timing {
  now: number;
  pollMs: number;
  /** In [0, 1): the jitter source, passed in so the rule stays pure. */
  random: number;
  maxBackoffMs: number;
  /** Auth failures in a row before the connection needs the Pro to sign in again. */
  reauthAfter: number;
}

/** From fine to worst: a group of calendars (a connection, a Pro) is as bad as its worst one. */
const SEVERITY: readonly SyncState[] = ['ok', 'degraded', 'reauth_required', 'disabled'];

export const worstState = (states: readonly SyncState[]): SyncState =>
  SEVERITY[states.reduce((worst, s) => Math.max(worst, SEVERITY.indexOf(s)), 0)]!;

export const healthy: Health = { state: 'ok', failures: 0, authFailures: 0 };

/** The next poll: the interval ±20 %, so calendars do not all come due together. */
export const nextPoll = (t: Pick<Timing, 'now' | 'pollMs' | 'random'>) =>
  t.now + Math.round(t.pollMs * (0.8 + 0.4 * t.random));

/** Exponential backoff with full jitter, from a second up to the cap. */
const backoff = (failures: number, t: Timing) => {
  const ceiling = Math.min(t.maxBackoffMs, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (t.random * ceiling) / 2);
};

/**
 * What a failed sync does to a calendar's health and when to try again: a provider's
 * Retry-After is honoured, repeated auth failures stop polling until the Pro acts, a calendar
 * that no longer exists is disabled, anything else backs off.
 */
export function afterFailure(
  health: Health,
  failure: { kind: FailureKind; retryAfterMs: number | null },
  t: Timing,
): { health: Health; retryAt: number | null } {
  const failures = health.failures + 1;
  switch (failure.kind) {
    case 'auth_revoked': {
      const authFailures = health.authFailures + 1;
      const reauth = authFailures >= t.reauthAfter;
      return {
        health: { state: reauth ? 'reauth_required' : 'degraded', failures, authFailures },
        retryAt: reauth ? null : t.now + backoff(failures, t),
      };
    }
    case 'not_found':
      return { health: { ...health, state: 'disabled', failures }, retryAt: null };
    case 'rate_limited':
      return {
        health: { ...health, state: 'degraded', failures },
        retryAt: t.now + Math.max(failure.retryAfterMs ?? 0, backoff(failures, t)),
      };
    case 'precondition_failed':
    case 'transient':
    case 'timeout':
    case 'unsupported':
    case 'invalid_data':
      return {
        health: { ...health, state: 'degraded', failures, authFailures: 0 },
        retryAt: t.now + backoff(failures, t),
      };
    default: {
      const unknown: never = failure.kind;
      throw new Error(`unhandled failure ${String(unknown)}`);
    }
  }
}
