import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PG_POOL, SchemaListener } from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { SyncScheduler } from '../sync-calendar/sync-scheduler';

const CHANNEL_PREFIX = 'sync_due:';

/** Tells this schema's sync instances that a calendar is due now; delivered when `tx` commits. */
export async function announceDue(tx: PoolClient): Promise<void> {
  await tx.query(`SELECT pg_notify($1 || current_schema(), '')`, [CHANNEL_PREFIX]);
}

/**
 * Wakes the scheduler the moment a push made a calendar due (LISTEN/NOTIFY on a connection of
 * its own), instead of at its next tick: push must reach availability within a second. The
 * tick stays the safety net, also while this connection is being re-established.
 */
@Injectable()
export class DueSignal implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncDueSignal');
  private readonly listener: SchemaListener;

  constructor(@Inject(PG_POOL) pool: Pool, scheduler: SyncScheduler) {
    this.listener = new SchemaListener({
      pool,
      channelPrefix: CHANNEL_PREFIX,
      onNotification: () => scheduler.kick(),
      onError: (error) =>
        this.logger.warn({ msg: 'cannot listen for due calendars', error: error.message }),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.listener.start();
  }

  onApplicationShutdown(): void {
    this.listener.stop();
  }
}
