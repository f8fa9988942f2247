import { withTransaction } from '@cs/eventing';
import type { Pool, PoolClient } from 'pg';
import {
  admit,
  type Breaker,
  type BreakerRule,
  closed,
  record,
} from '../../domain/limits/circuit-breaker';
import { type Bucket, type BucketRule, take } from '../../domain/limits/token-bucket';
import type { FailureKind } from '../../domain/sync-state/sync-health';

export interface GateRules {
  account: BucketRule;
  provider: BucketRule;
  breaker: BreakerRule;
}

export type GateAnswer = { admitted: true } | { admitted: false; retryAt: number; reason: string };

/**
 * Rate limits per account and per provider and a circuit breaker per host (the provider, for
 * one-API providers; each feed or CalDAV server its own), kept in
 * PostgreSQL so that every sync worker draws from the same buckets. Rows are locked in key
 * order, so concurrent callers queue instead of deadlocking; time is the database's clock.
 */
export class ProviderGate {
  constructor(
    private readonly pool: Pool,
    private readonly rules: GateRules,
  ) {}

  async admit(provider: string, account: string, host: string = provider): Promise<GateAnswer> {
    return withTransaction(this.pool, async (tx) => {
      const now = await dbNow(tx);
      const breaker = await lockBreaker(tx, host);
      const admission = admit(breaker, this.rules.breaker, now);
      if (!admission.admitted)
        return {
          admitted: false,
          retryAt: admission.retryAt,
          reason: `${host} circuit open`,
        } as const;
      const keys = [`account:${account}`, `provider:${provider}`] as const;
      const buckets = await lockBuckets(tx, [
        { key: keys[0], rule: this.rules.account, now },
        { key: keys[1], rule: this.rules.provider, now },
      ]);
      const takes = [
        take(buckets.get(keys[0])!, this.rules.account, now),
        take(buckets.get(keys[1])!, this.rules.provider, now),
      ];
      // A call is admitted only with a token from both buckets; otherwise neither is spent.
      if (!takes[0]!.granted || !takes[1]!.granted) {
        const waitMs = Math.max(...takes.map((t) => (t.granted ? 0 : t.waitMs)));
        return {
          admitted: false,
          retryAt: now + waitMs,
          reason: `rate limit of the ${takes[0]!.granted ? 'provider' : 'account'}`,
        } as const;
      }
      await saveBuckets(
        tx,
        [...keys],
        takes.map((t) => t.bucket),
      );
      if (admission.breaker !== breaker) await saveBreaker(tx, host, admission.breaker);
      return { admitted: true } as const;
    });
  }

  /** The outcome of an admitted call to `host`: null for success, else the failure kind. */
  async record(host: string, failure: FailureKind | null): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      const now = await dbNow(tx);
      const breaker = await lockBreaker(tx, host);
      const next = record(breaker, this.rules.breaker, now, failure);
      if (JSON.stringify(next) !== JSON.stringify(breaker)) await saveBreaker(tx, host, next);
    });
  }
}

async function dbNow(tx: PoolClient): Promise<number> {
  const { rows } = await tx.query<{ now: number }>(
    'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now',
  );
  return rows[0]!.now;
}

async function lockBreaker(tx: PoolClient, provider: string): Promise<Breaker> {
  await tx.query(
    'INSERT INTO sync_breakers (provider, state) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [provider, JSON.stringify(closed)],
  );
  const { rows } = await tx.query<{ state: Breaker }>(
    'SELECT state FROM sync_breakers WHERE provider = $1 FOR UPDATE',
    [provider],
  );
  return rows[0]!.state;
}

async function saveBreaker(tx: PoolClient, provider: string, breaker: Breaker): Promise<void> {
  await tx.query('UPDATE sync_breakers SET state = $2 WHERE provider = $1', [
    provider,
    JSON.stringify(breaker),
  ]);
}

/** Creates missing buckets full, then locks them all in key order. */
async function lockBuckets(
  tx: PoolClient,
  wanted: Array<{ key: string; rule: BucketRule; now: number }>,
): Promise<Map<string, Bucket>> {
  await tx.query(
    `INSERT INTO sync_rate_buckets (key, tokens, updated_at)
     SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[]) ON CONFLICT DO NOTHING`,
    [wanted.map((w) => w.key), wanted.map((w) => w.rule.capacity), wanted.map((w) => w.now)],
  );
  const { rows } = await tx.query<{ key: string; tokens: number; updated_at: number }>(
    `SELECT key, tokens, updated_at FROM sync_rate_buckets WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
    [wanted.map((w) => w.key)],
  );
  return new Map(rows.map((r) => [r.key, { tokens: r.tokens, updatedAt: r.updated_at }]));
}

async function saveBuckets(tx: PoolClient, keys: string[], buckets: Bucket[]): Promise<void> {
  await tx.query(
    `INSERT INTO sync_rate_buckets (key, tokens, updated_at)
     SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[])
     ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
    [keys, buckets.map((b) => b.tokens), buckets.map((b) => b.updatedAt)],
  );
}
