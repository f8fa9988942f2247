import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PG_POOL, SerialPasses, withTransaction } from '@cs/eventing';
import { Pool } from 'pg';
import type { Breaker } from '../../domain/limits/circuit-breaker';
import { chooseStarts, type DueCalendar } from '../../domain/scheduling/host-slots';
import { BookingWriter } from '../mirror-bookings/booking-writer';
import { SYNC_CONFIG, type SyncConfig } from '../../infrastructure/sync-config';
import { CalendarSyncer } from './calendar-syncer';

const WRITE_BATCH = 20;
/** Due calendars looked at per pass; full hosts are left out of the query, so this is ample. */
const CANDIDATES = 200;
/** A claimed calendar stays with its instance this long: far above any run's deadlines. */
const LEASE = '10 minutes';

/**
 * Polling, the safety net under push. Due calendars are claimed with a lease (`SKIP LOCKED`,
 * so instances share the work) as slots free up: at most `SYNC_HOST_CONCURRENCY` runs per
 * host and `SYNC_CONCURRENCY` in all, none against a host whose breaker is open. A pass never
 * waits for the runs it starts: each ending run asks for another pass, so a server that hangs
 * holds its own slots and nothing else. Due booking writes go out in passes of their own.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncScheduler');
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly calendarPasses = new SerialPasses(
    () => this.startDue(),
    (error: unknown) =>
      this.logger.warn({ msg: 'sync pass failed', error: (error as Error).message }),
  );
  private readonly writePasses = new SerialPasses(
    async () => {
      await this.writer.runDue(WRITE_BATCH);
    },
    (error: unknown) =>
      this.logger.warn({ msg: 'write pass failed', error: (error as Error).message }),
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
    await Promise.all([this.calendarPasses.stop(), this.writePasses.stop()]);
    await Promise.allSettled([...this.running]);
  }

  /** Looks for due work now (or right after the pass in progress). */
  kick(): void {
    this.calendarPasses.kick();
    this.writePasses.kick();
  }

  private async startDue(): Promise<void> {
    if (this.running.size >= this.config.SYNC_CONCURRENCY) return;
    const full = [...this.inFlight]
      .filter(([, n]) => n >= this.config.SYNC_HOST_CONCURRENCY)
      .map(([host]) => host);
    const starts = await withTransaction(this.pool, async (tx) => {
      const { rows: due } = await tx.query<DueCalendar>(
        `SELECT sc.calendar_id AS "calendarId", k.host
           FROM sync_calendars sc JOIN sync_connections k USING (connection_id)
          WHERE NOT sc.removed AND NOT k.removed AND NOT k.paused AND sc.next_sync_at <= now()
            AND NOT (k.host = ANY($2))
          ORDER BY sc.next_sync_at LIMIT $1 FOR UPDATE OF sc SKIP LOCKED`,
        [CANDIDATES, full],
      );
      if (due.length === 0) return [];
      const { rows: breakers } = await tx.query<{
        host: string | null;
        state: Breaker;
        now: number;
      }>(
        `SELECT b.provider AS host, b.state, now.ms AS now
           FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms) now
           LEFT JOIN sync_breakers b ON b.provider = ANY($1)`,
        [[...new Set(due.map((d) => d.host))]],
      );
      const plan = chooseStarts(
        due,
        {
          inFlight: this.inFlight,
          breakers: new Map(breakers.flatMap((b) => (b.host === null ? [] : [[b.host, b.state]]))),
          now: breakers[0]!.now,
        },
        {
          perHost: this.config.SYNC_HOST_CONCURRENCY,
          total: this.config.SYNC_CONCURRENCY,
          breaker: {
            threshold: this.config.SYNC_BREAKER_THRESHOLD,
            cooldownMs: this.config.SYNC_BREAKER_COOLDOWN_MS,
          },
        },
      );
      await tx.query(
        `UPDATE sync_calendars SET next_sync_at = now() + interval '${LEASE}' WHERE calendar_id = ANY($1)`,
        [plan.start.map((c) => c.calendarId)],
      );
      if (plan.hold.length > 0)
        await tx.query(
          `UPDATE sync_calendars c SET next_sync_at = to_timestamp(h.until / 1000)
             FROM unnest($1::text[], $2::float8[]) AS h(calendar_id, until)
            WHERE c.calendar_id = h.calendar_id`,
          [plan.hold.map((h) => h.calendarId), plan.hold.map((h) => h.until)],
        );
      return plan.start;
    });
    for (const calendar of starts) this.start(calendar);
    // More may be due than one pass looked at: look again until nothing more can start.
    if (starts.length > 0) this.calendarPasses.kick();
  }

  private start({ calendarId, host }: DueCalendar): void {
    this.inFlight.set(host, (this.inFlight.get(host) ?? 0) + 1);
    const run: Promise<void> = this.syncer
      .run(calendarId)
      .catch((error: unknown) =>
        this.logger.error({ msg: 'sync run failed', calendarId, error: (error as Error).message }),
      )
      .finally(() => {
        const left = (this.inFlight.get(host) ?? 1) - 1;
        if (left > 0) this.inFlight.set(host, left);
        else this.inFlight.delete(host);
        this.running.delete(run);
        this.calendarPasses.kick();
      });
    this.running.add(run);
  }
}
