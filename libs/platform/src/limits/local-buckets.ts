import { type Clock } from '@cs/eventing';
import { type BucketRule } from './shared-buckets';

const MAX_KEYS = 100_000;

/** Token buckets in this instance's memory: a flood is turned away before any I/O. */
export class LocalBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: BucketRule,
    private readonly clock: Clock,
  ) {}

  /** Seconds until a token is back, or 0 when one was taken. */
  take(key: string): number {
    if (this.rule.perSecond === 0) return 0;
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: this.rule.burst, at: now };
    const tokens = Math.min(
      this.rule.burst,
      bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.rule.perSecond,
    );
    this.buckets.delete(key);
    if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
    const granted = tokens >= 1;
    this.buckets.set(key, { tokens: granted ? tokens - 1 : tokens, at: now });
    return granted ? 0 : (1 - tokens) / this.rule.perSecond;
  }
}
