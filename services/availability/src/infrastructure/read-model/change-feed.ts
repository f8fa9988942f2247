import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EVENTING_OPTIONS, type EventingModuleOptions, PG_POOL } from '@cs/eventing';
import type { ReadCache } from '@cs/platform';
import { Client, Pool } from 'pg';
import { Subject } from 'rxjs';
import { changesChannel } from './availability-changes';
import { ScheduleCache } from './schedule-cache';
import { ScheduleReader } from './schedule-reader';

export interface AvailabilityChange {
  /** The change feed's sequence: the SSE event id. */
  readonly seq: number;
  readonly proId: string;
  readonly from: string;
  readonly to: string;
}

interface ChangeRow {
  seq: string;
  pro_id: string | null;
  territory_id: string | null;
  from_at: Date;
  to_at: Date;
}

const SAFETY_POLL_MS = 2_000;
const RECONNECT_MS = 1_000;
const KEEP_CHANGES = '1 day';

/**
 * Follows the committed availability changes of this schema (LISTEN wakes it, a slow poll
 * backs it up): invalidates the schedule cache and tells SSE subscribers, on every instance.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy, ReadCache {
  private readonly logger = new Logger('ChangeFeed');
  private readonly subject = new Subject<AvailabilityChange>();
  readonly changes = this.subject.asObservable();
  private listener: Client | undefined;
  private cursor = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polls = 0;

  constructor(
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly cache: ScheduleCache,
    private readonly reader: ScheduleReader,
  ) {}

  async onModuleInit(): Promise<void> {
    const { rows } = await this.pool.query<{ seq: string | null }>(
      'SELECT max(seq) AS seq FROM availability_changes',
    );
    this.cursor = Number(rows[0]?.seq ?? 0);
    await this.listen();
    this.timer = setInterval(() => void this.poll(), SAFETY_POLL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.subject.complete();
    await this.reading;
    await this.listener?.end().catch(() => undefined);
  }

  /**
   * Dispatches every change committed before the call, so the schedule cache holds nothing
   * older than the read model (a read with `If-Consistent-With`, once its positions are applied).
   */
  refresh(): Promise<void> {
    return this.catchUp();
  }

  /** Changes of one Pro after `afterSeq`, for a client resuming with `Last-Event-ID`. */
  async since(proId: string, afterSeq: number): Promise<AvailabilityChange[]> {
    const territoryId = await this.reader.territoryOf(proId);
    const { rows } = await this.pool.query<ChangeRow>(
      `SELECT * FROM availability_changes WHERE seq > $1 AND (pro_id = $2 OR territory_id = $3)
       ORDER BY seq LIMIT 1000`,
      [afterSeq, proId, territoryId],
    );
    return rows.map((row) => toChange(row, proId));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      options: `-c search_path=${this.options.schema}`,
    });
    client.on('notification', () => void this.catchUp());
    client.on('error', () => void this.reconnect(client));
    client.on('end', () => void this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${changesChannel(this.options.schema)}`);
      this.listener = client;
      await this.catchUp();
    } catch (error) {
      this.logger.warn({ msg: 'cannot listen for availability changes', error: String(error) });
      await this.reconnect(client);
    }
  }

  private async reconnect(client: Client): Promise<void> {
    if (this.stopped || (this.listener !== undefined && this.listener !== client)) return;
    this.listener = undefined;
    // Changes may come while nobody listens; nothing cached can be trusted after that.
    this.cache.clear();
    await client.end().catch(() => undefined);
    setTimeout(() => void this.listen(), RECONNECT_MS);
  }

  private async poll(): Promise<void> {
    if (++this.polls % 1800 === 0) {
      await this.pool
        .query(
          `DELETE FROM availability_changes WHERE recorded_at < now() - interval '${KEEP_CHANGES}'`,
        )
        .catch(() => undefined);
    }
    await this.catchUp();
  }

  private catchUp(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          const { rows } = await this.pool.query<ChangeRow>(
            'SELECT * FROM availability_changes WHERE seq > $1 ORDER BY seq LIMIT 1000',
            [this.cursor],
          );
          for (const row of rows) await this.dispatch(row);
          if (rows.length === 1000) this.again = true;
        } while (this.again && !this.stopped);
      } catch (error) {
        if (!this.stopped)
          this.logger.warn({ msg: 'cannot read availability changes', error: String(error) });
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private async dispatch(row: ChangeRow): Promise<void> {
    const pros =
      row.pro_id !== null ? [row.pro_id] : await this.reader.prosIn(row.territory_id ?? '');
    for (const proId of pros) {
      this.cache.invalidate(proId);
      this.subject.next(toChange(row, proId));
    }
    this.cursor = Number(row.seq);
  }
}

function toChange(row: ChangeRow, proId: string): AvailabilityChange {
  return {
    seq: Number(row.seq),
    proId,
    from: row.from_at.toISOString(),
    to: row.to_at.toISOString(),
  };
}
