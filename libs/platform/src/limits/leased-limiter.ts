import { type Clock } from '@cs/eventing';
import { type BucketRule, type SharedBuckets } from './shared-buckets';

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

interface Holding {
  tokens: number;
  /** Leased tokens lapse, so no instance hoards a caller's allowance. */
  until: number;
  /** Set after a refusal: until then the answer is known without asking the database. */
  refusedUntil: number;
}

const LEASE_MS = 1_000;
const MAX_KEYS = 100_000;

/**
 * A caller's shared token bucket, taken from in leases of up to `lease` tokens: each instance
 * spends a lease locally and asks PostgreSQL again only when it is used up, so the shared
 * store sees one query per lease, and the limit across instances is off by at most one lease
 * per instance.
 */
export class LeasedLimiter {
  private readonly holdings = new Map<string, Holding>();
  private readonly pending = new Map<string, Promise<Admission>>();

  constructor(
    private readonly buckets: SharedBuckets,
    private readonly rule: BucketRule,
    private readonly lease: number,
    private readonly clock: Clock,
  ) {}

  async admit(key: string): Promise<Admission> {
    if (this.rule.perSecond === 0) return { admitted: true };
    // Requests arriving together wait for one lease instead of each taking its own.
    for (let pending = this.pending.get(key); pending; pending = this.pending.get(key)) {
      await pending;
    }
    const now = this.clock.now().getTime();
    const holding = this.holdings.get(key);
    if (holding && holding.refusedUntil > now) {
      return { admitted: false, retryAfterSeconds: (holding.refusedUntil - now) / 1000 };
    }
    if (holding && holding.tokens > 0 && holding.until > now) {
      holding.tokens -= 1;
      return { admitted: true };
    }
    const lease = this.renew(key, now);
    this.pending.set(key, lease);
    try {
      return await lease;
    } finally {
      this.pending.delete(key);
    }
  }

  private async renew(key: string, now: number): Promise<Admission> {
    const { granted, retryAfterSeconds } = await this.buckets.take(
      key,
      this.rule,
      Math.min(this.lease, this.rule.burst),
    );
    this.hold(key, {
      tokens: Math.max(0, granted - 1),
      until: now + LEASE_MS,
      refusedUntil: granted > 0 ? 0 : now + retryAfterSeconds * 1000,
    });
    return granted > 0 ? { admitted: true } : { admitted: false, retryAfterSeconds };
  }

  private hold(key: string, holding: Holding): void {
    this.holdings.delete(key);
    if (this.holdings.size >= MAX_KEYS) this.holdings.delete(this.holdings.keys().next().value!);
    this.holdings.set(key, holding);
  }
}
