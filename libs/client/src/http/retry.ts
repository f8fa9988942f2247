/** When and how often a request is sent again. */
export interface RetryPolicy {
  /** Most tries in all, the first included: 1 turns retries off. */
  attempts: number;
  /** Most time spent waiting between tries, in ms: a wait beyond what is left ends the retries. */
  budgetMs: number;
  /** The wait when an answer names no `Retry-After` (no answer at all, a proxy's 502). */
  fallbackDelayMs: number;
  /** Answers worth the same request again; the contract gives 429 and 503 a `Retry-After`. */
  statuses: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  budgetMs: 10_000,
  fallbackDelayMs: 250,
  statuses: [429, 503],
};

export const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, attempts: 1 };

/** Told before each wait: why the last try is repeated, which try that was, and for how long. */
export interface RetryNotice {
  reason: string;
  attempt: number;
  delayMs: number;
}

/** What one try came to: final, or worth repeating after `retryAfterMs` (else the fallback). */
export type Outcome<T> =
  { final: T } | { again: T; reason: string; retryAfterMs: number | undefined };

export interface Retried<T> {
  result: T;
  attempts: number;
  /** The retries ran out (attempts or budget) with a result that was still worth repeating. */
  exhausted: boolean;
}

export interface RetryHooks {
  sleep(ms: number): Promise<void>;
  onRetry?(notice: RetryNotice): void;
}

/** `Retry-After` in delta-seconds, as the services send it; an HTTP date falls back. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1_000;
}

/** Tries until an outcome is final or the policy's attempts or waiting budget are spent. */
export async function withRetries<T>(
  policy: RetryPolicy,
  tryOnce: (attempt: number) => Promise<Outcome<T>>,
  hooks: RetryHooks,
): Promise<Retried<T>> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    const outcome = await tryOnce(attempt);
    if ('final' in outcome) return { result: outcome.final, attempts: attempt, exhausted: false };
    const delayMs = outcome.retryAfterMs ?? policy.fallbackDelayMs;
    if (attempt >= policy.attempts || waited + delayMs > policy.budgetMs)
      return { result: outcome.again, attempts: attempt, exhausted: true };
    waited += delayMs;
    hooks.onRetry?.({ reason: outcome.reason, attempt, delayMs });
    await hooks.sleep(delayMs);
  }
}
