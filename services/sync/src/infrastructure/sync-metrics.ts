import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY, PG_POOL } from '@cs/eventing';
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FailureKind, SyncState } from '../domain/sync-state/sync-health';

const STATES: readonly SyncState[] = ['ok', 'degraded', 'reauth_required', 'disabled'];

/**
 * Sync's own metrics (docs/design.md §6.1): failed runs per provider and kind, calendars that
 * went to `reauth_required`, and the calendars in each state. The counters are this instance's;
 * the gauge reads the shared table when Prometheus scrapes, so every instance reports the same.
 */
@Injectable()
export class SyncMetrics {
  private readonly failures: Counter<'provider' | 'error_kind'>;
  private readonly reauths: Counter<'provider'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(PG_POOL) pool: Pool) {
    const registers = [registry];
    this.failures = new Counter({
      name: 'cs_sync_failures_total',
      help: 'Calendar sync runs that failed, by provider and error kind (each is retried unless the calendar needs sign-in or is gone)',
      labelNames: ['provider', 'error_kind'],
      registers,
    });
    this.reauths = new Counter({
      name: 'cs_sync_reauth_required_total',
      help: 'Calendars that went to reauth_required: the Pro must sign in again before they sync',
      labelNames: ['provider'],
      registers,
    });
    new Gauge({
      name: 'cs_sync_calendars',
      help: 'Live calendars by provider and sync state (no series while the database cannot be read)',
      labelNames: ['provider', 'state'],
      registers,
      async collect() {
        const counted = await pool
          .query<{ provider: string; state: SyncState; count: number }>(
            `SELECT k.provider, c.state, count(*)::int AS count
               FROM sync_calendars c JOIN sync_connections k USING (connection_id)
              WHERE NOT c.removed AND NOT k.removed GROUP BY 1, 2`,
          )
          .then((r) => r.rows)
          .catch(() => null);
        this.reset();
        if (!counted) return;
        // Every state of a provider has a series, zero included, so ratios and `== 0` work.
        for (const provider of new Set(counted.map((c) => c.provider)))
          for (const state of STATES) this.set({ provider, state }, 0);
        for (const c of counted) this.set({ provider: c.provider, state: c.state }, c.count);
      },
    });
  }

  /** A failed run that was recorded, and the state it left the calendar in. */
  failed(provider: string, kind: FailureKind, from: SyncState, to: SyncState): void {
    this.failures.inc({ provider, error_kind: kind });
    if (to === 'reauth_required' && from !== 'reauth_required') this.reauths.inc({ provider });
  }
}
