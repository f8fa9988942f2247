import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { type Bucket, type BucketRule, take } from './token-bucket';

const rule: BucketRule = { capacity: 5, perSecond: 2 };

describe('token bucket', () => {
  it('grants a full burst, then makes the caller wait for the refill', () => {
    let bucket: Bucket | null = null;
    for (let i = 0; i < 5; i++) {
      const result = take(bucket, rule, 0);
      expect(result.granted).toBe(true);
      bucket = result.bucket;
    }
    const refused = take(bucket, rule, 0);
    expect(refused).toMatchObject({ granted: false, waitMs: 500 });
    expect(take(refused.bucket, rule, 499).granted).toBe(false);
    expect(take(refused.bucket, rule, 500).granted).toBe(true);
  });

  it('never grants more than the burst plus what the elapsed time refilled', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        (gaps, capacity, perSecond) => {
          const r = { capacity, perSecond };
          let bucket: Bucket | null = null;
          let now = 0;
          let granted = 0;
          for (const gap of gaps) {
            now += gap;
            const result = take(bucket, r, now);
            bucket = result.bucket;
            if (result.granted) granted++;
            expect(bucket.tokens).toBeGreaterThanOrEqual(0);
            expect(bucket.tokens).toBeLessThanOrEqual(capacity);
          }
          expect(granted).toBeLessThanOrEqual(capacity + ((now - gaps[0]!) / 1000) * perSecond);
        },
      ),
    );
  });

  it('a refused caller that waits the answered time is granted', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (tokens, perSecond) => {
          const r = { capacity: 10, perSecond };
          const refused = take({ tokens, updatedAt: 1_000 }, r, 1_000);
          if (refused.granted) throw new Error('expected a refusal');
          expect(take(refused.bucket, r, 1_000 + refused.waitMs).granted).toBe(true);
        },
      ),
    );
  });

  it('a clock that goes backwards refills nothing', () => {
    const result = take({ tokens: 0, updatedAt: 10_000 }, rule, 5_000);
    expect(result).toMatchObject({ granted: false, bucket: { tokens: 0, updatedAt: 10_000 } });
  });
});
