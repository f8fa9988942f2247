import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PG_POOL } from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { SyncScheduler } from '../sync-calendar/sync-scheduler';

const CHANNEL_PREFIX = 'sync_due:';
const RELISTEN_MS = 1_000;

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
  private client: PoolClient | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly scheduler: SyncScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.drop();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.pool.connect();
      this.client = client;
      // This client never goes back to the pool: its listeners die with it.
      client.on('error', () => this.lost());
      client.on('notification', () => this.scheduler.kick());
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      await client.query(`LISTEN ${client.escapeIdentifier(CHANNEL_PREFIX + rows[0]!.schema)}`);
    } catch (error) {
      this.logger.warn({ msg: 'cannot listen for due calendars', error: (error as Error).message });
      this.lost();
    }
  }

  private lost(): void {
    this.drop();
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.listen(), RELISTEN_MS);
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners('notification');
    client.release(true);
  }
}
