/** A token bucket: `capacity` calls at once, refilled at `perSecond`. */
export interface BucketRule {
  capacity: number;
  perSecond: number;
}

export interface Bucket {
  tokens: number;
  /** Epoch milliseconds of the last refill. */
  updatedAt: number;
}

export type Take =
  { granted: true; bucket: Bucket } | { granted: false; bucket: Bucket; waitMs: number };

/** The bucket refilled up to `now`; a clock that went backwards refills nothing. */
export function refill(bucket: Bucket | null, rule: BucketRule, now: number): Bucket {
  if (!bucket) return { tokens: rule.capacity, updatedAt: now };
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return {
    tokens: Math.min(rule.capacity, bucket.tokens + (elapsed / 1000) * rule.perSecond),
    updatedAt: Math.max(now, bucket.updatedAt),
  };
}

/** Takes `cost` tokens, or answers how long until there are enough. */
export function take(bucket: Bucket | null, rule: BucketRule, now: number, cost = 1): Take {
  const current = refill(bucket, rule, now);
  if (current.tokens >= cost)
    return { granted: true, bucket: { ...current, tokens: current.tokens - cost } };
  return {
    granted: false,
    bucket: current,
    waitMs: Math.ceil(((cost - current.tokens) / rule.perSecond) * 1000),
  };
}
