import { z } from 'zod';

const positive = z.coerce.number({ invalid_type_error: 'must be a number' }).int().positive();

export const syncConfigSchema = z.object({
  /** How often each calendar is polled (±20 % jitter); push, where there is one, comes on top. */
  SYNC_POLL_INTERVAL_MS: positive.default(300_000),
  /** How often the scheduler looks for due calendars and pending writes. */
  SYNC_TICK_MS: positive.default(1_000),
  SYNC_MAX_BACKOFF_MS: positive.default(900_000),
  /**
   * Deadline of each request to the connector; keep it above the connector's own provider
   * deadline (`PROVIDER_TIMEOUT_MS`), which is what a provider that hangs normally runs into.
   */
  SYNC_REQUEST_TIMEOUT_MS: positive.default(30_000),
  /** Calendar syncs under way at once in one sync instance. */
  SYNC_CONCURRENCY: positive.default(32),
  /** Of those, at most this many against one host (a feed or CalDAV server, or a provider's API). */
  SYNC_HOST_CONCURRENCY: positive.default(4),
  /**
   * How long a claimed calendar write stays with its worker: a write cut off by a crash or a
   * database outage is retried when this runs out. Keep it above the request deadline.
   */
  SYNC_WRITE_LEASE_MS: positive.default(120_000),
  SYNC_REAUTH_AFTER_FAILURES: positive.default(3),
  /** Calls to the provider per connection: a burst, then a steady rate. */
  SYNC_ACCOUNT_BURST: positive.default(60),
  SYNC_ACCOUNT_PER_SECOND: positive.default(10),
  /** Calls to one provider across all connections and sync workers. */
  SYNC_PROVIDER_BURST: positive.default(600),
  SYNC_PROVIDER_PER_SECOND: positive.default(100),
  /** Transient failures or timeouts of one host in a row that open its circuit, and for how long. */
  SYNC_BREAKER_THRESHOLD: positive.default(10),
  SYNC_BREAKER_COOLDOWN_MS: positive.default(30_000),
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export const SYNC_CONFIG = Symbol('SYNC_CONFIG');
