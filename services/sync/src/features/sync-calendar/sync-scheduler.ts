import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PG_POOL, SerialPasses } from '@cs/eventing';
import { Pool } from 'pg';
import { BookingWriter } from '../mirror-bookings/booking-writer';
import { SYNC_CONFIG, type SyncConfig } from '../../infrastructure/sync-config';
import { CalendarSyncer } from './calendar-syncer';

const BATCH = 20;

/**
 * Polling, the safety net under push: on each tick, due calendars are claimed with a lease
 * (`SKIP LOCKED`, so instances share the work) and synced, and due booking writes are sent.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private timer: NodeJS.Timeout | undefined;
  private readonly passes = new SerialPasses(
    () => this.tick(),
    (error: unknown) =>
      this.logger.warn({ msg: 'sync tick failed', error: (error as Error).message }),
  );

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly syncer: CalendarSyncer,
    private readonly writer: BookingWriter,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.SYNC_TICK_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.passes.stop();
  }

  /** Runs a tick now (or right after the one in progress). */
  kick(): void {
    this.passes.kick();
  }

  private async tick(): Promise<void> {
    const { rows } = await this.pool.query<{ calendar_id: string }>(
      `UPDATE sync_calendars c SET next_sync_at = now() + interval '10 minutes'
         FROM (SELECT sc.calendar_id FROM sync_calendars sc JOIN sync_connections k USING (connection_id)
                WHERE NOT sc.removed AND NOT k.removed AND NOT k.paused AND sc.next_sync_at <= now()
                ORDER BY sc.next_sync_at LIMIT $1 FOR UPDATE OF sc SKIP LOCKED) due
        WHERE c.calendar_id = due.calendar_id RETURNING c.calendar_id`,
      [BATCH],
    );
    await Promise.all(rows.map((r) => this.syncer.run(r.calendar_id)));
    await this.writer.runDue(BATCH);
  }
}
