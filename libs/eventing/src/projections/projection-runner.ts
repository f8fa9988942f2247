import { DeliverPolicy } from '@nats-io/jetstream';
import { eventRegistry, type Context } from '@cs/contracts';
import type { PoolClient } from 'pg';
import {
  DurableConsumer,
  type ConsumerDefinition,
  type ConsumerRuntime,
} from '../consumers/durable-consumer';
import type { ConsumedEvent } from '../consumers/consumed-event';
import { errorDetails } from '../log';
import { withTransaction } from '../postgres/pool';
import { applyInOrder, savePositions, type IsSkipped, type Sorted } from '../consumers/positions';
import { recordedSkips } from '../consumers/skips';
import type { ProjectionDefinition, TableNames } from './projection';

export interface RebuildReport {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface VerifyReport {
  equal: boolean;
  /** Rows that are in one copy and not in the other, per table. */
  differences: Record<string, number>;
}

const REBUILD_BATCH = 5000;

/**
 * Keeps a read model up to date from the bus (one durable consumer per stream) and rebuilds it
 * from sequence 1 into shadow tables that replace the live ones in a single transaction.
 */
export class ProjectionRunner<T extends string = string> {
  private readonly consumers: DurableConsumer[];
  private readonly liveTables: TableNames<T>;
  private readonly shadowTables: TableNames<T>;

  constructor(
    private readonly definition: ProjectionDefinition<T>,
    private readonly runtime: ConsumerRuntime,
    consumerOptions: Pick<ConsumerDefinition, 'ackWaitMs' | 'batchSize' | 'maxAttempts'> = {},
  ) {
    const names = Object.keys(definition.tables) as T[];
    const physical = (suffix: string) =>
      Object.fromEntries(
        names.map((t) => [t, `proj_${definition.name}_${t}${suffix}`]),
      ) as TableNames<T>;
    this.liveTables = physical('');
    this.shadowTables = physical('__shadow');
    this.consumers = definition.streams.map(
      (stream) =>
        new DurableConsumer(
          {
            ...consumerOptions,
            name: this.positionsKey(stream),
            stream,
            handle: (events, tx) => definition.apply(events, tx, this.liveTables),
          },
          runtime,
        ),
    );
  }

  get tables(): TableNames<T> {
    return this.liveTables;
  }

  get name(): string {
    return this.definition.name;
  }

  liveConsumers(): readonly DurableConsumer[] {
    return this.consumers;
  }

  /** Creates the tables, rebuilds first if the projection's version changed, then follows the bus. */
  async start(): Promise<void> {
    const stored = await this.storedVersion();
    if (stored === undefined) {
      await withTransaction(this.runtime.pool, async (tx) => {
        await this.createTables(tx, this.liveTables);
        await tx.query(
          'INSERT INTO projection_versions (projection, version) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [this.definition.name, this.definition.version],
        );
      });
    } else if (stored !== this.definition.version) {
      // Instances starting together: the first rebuilds, the others find the version current.
      await this.exclusively(async () => {
        if ((await this.storedVersion()) !== this.definition.version) await this.rebuildNow();
      });
    }
    for (const consumer of this.consumers) await consumer.start();
  }

  async stop(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
  }

  /** Replays every stream from sequence 1 into shadow tables, then swaps them in atomically. */
  rebuild(): Promise<RebuildReport> {
    return this.exclusively(() => this.rebuildNow());
  }

  /** Rebuilds a shadow copy of exactly what the live model has applied and compares the two. */
  verify(): Promise<VerifyReport> {
    return this.exclusively(() => this.verifyNow());
  }

  /**
   * One rebuild or verify per projection at a time across every instance: they share the shadow
   * tables. A session advisory lock on its own connection, so a crash lets it go.
   */
  private async exclusively<R>(work: () => Promise<R>): Promise<R> {
    const client = await this.runtime.pool.connect();
    const key = `projection-shadow:${this.definition.name}`;
    let unlocked = false;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(
          () => (unlocked = true),
          () => undefined,
        );
      }
    } finally {
      // A connection that may still hold the lock is closed, which releases it.
      client.release(!unlocked);
    }
  }

  private async rebuildNow(): Promise<RebuildReport> {
    const started = performance.now();
    const running = await this.pauseLive();
    try {
      await this.prepareShadow();
      let events = 0;
      for (const stream of this.definition.streams) events += await this.replay(stream, () => true);
      await withTransaction(this.runtime.pool, async (tx) => {
        for (const table of Object.keys(this.liveTables) as T[]) {
          await tx.query(`DROP TABLE IF EXISTS ${this.liveTables[table]}`);
          await tx.query(
            `ALTER TABLE ${this.shadowTables[table]} RENAME TO ${this.liveTables[table]}`,
          );
        }
        for (const stream of this.definition.streams) {
          await tx.query('DELETE FROM consumer_positions WHERE consumer = $1', [
            this.positionsKey(stream),
          ]);
          await tx.query('UPDATE consumer_positions SET consumer = $1 WHERE consumer = $2', [
            this.positionsKey(stream),
            this.positionsKey(stream, true),
          ]);
        }
        await tx.query(
          `INSERT INTO projection_versions (projection, version) VALUES ($1, $2)
           ON CONFLICT (projection) DO UPDATE SET version = excluded.version, rebuilt_at = now()`,
          [this.definition.name, this.definition.version],
        );
      });
      const seconds = (performance.now() - started) / 1000;
      return { events, seconds, eventsPerSecond: seconds > 0 ? events / seconds : events };
    } finally {
      if (running) await this.resumeLive();
    }
  }

  private async verifyNow(): Promise<VerifyReport> {
    const running = await this.pauseLive();
    try {
      await this.prepareShadow();
      for (const stream of this.definition.streams) {
        const { rows } = await this.runtime.pool.query<{
          stream_id: string;
          stream_version: number;
        }>('SELECT stream_id, stream_version FROM consumer_positions WHERE consumer = $1', [
          this.positionsKey(stream),
        ]);
        const live = new Map(rows.map((r) => [r.stream_id, r.stream_version]));
        await this.replay(
          stream,
          (e) => e.envelope.streamVersion <= (live.get(e.envelope.streamId) ?? 0),
        );
      }
      const differences: Record<string, number> = {};
      for (const table of Object.keys(this.liveTables) as T[]) {
        const live = this.liveTables[table];
        const shadow = this.shadowTables[table];
        const { rows } = await this.runtime.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ((TABLE ${live} EXCEPT ALL TABLE ${shadow}) UNION ALL (TABLE ${shadow} EXCEPT ALL TABLE ${live})) d`,
        );
        differences[table] = Number(rows[0]!.n);
      }
      return { equal: Object.values(differences).every((n) => n === 0), differences };
    } finally {
      await withTransaction(this.runtime.pool, async (tx) => {
        for (const table of Object.values<string>(this.shadowTables))
          await tx.query(`DROP TABLE IF EXISTS ${table}`);
        for (const stream of this.definition.streams) {
          await tx.query('DELETE FROM consumer_positions WHERE consumer = $1', [
            this.positionsKey(stream, true),
          ]);
        }
      });
      if (running) await this.resumeLive();
    }
  }

  private async prepareShadow(): Promise<void> {
    await withTransaction(this.runtime.pool, async (tx) => {
      await this.createTables(tx, this.shadowTables, true);
      for (const stream of this.definition.streams) {
        await tx.query('DELETE FROM consumer_positions WHERE consumer = $1', [
          this.positionsKey(stream, true),
        ]);
      }
    });
  }

  private positionsKey(stream: Context, shadow = false): string {
    return `projection_${this.definition.name}_${stream}${shadow ? '#shadow' : ''}`;
  }

  private async storedVersion(): Promise<number | undefined> {
    const { rows } = await this.runtime.pool.query<{ version: number }>(
      'SELECT version FROM projection_versions WHERE projection = $1',
      [this.definition.name],
    );
    return rows[0]?.version;
  }

  private async createTables(tx: PoolClient, names: TableNames<T>, replace = false): Promise<void> {
    for (const table of Object.keys(names) as T[]) {
      if (replace) await tx.query(`DROP TABLE IF EXISTS ${names[table]}`);
      const { rows } = await tx.query<{ exists: string | null }>(
        'SELECT to_regclass($1) AS exists',
        [names[table]],
      );
      if (!rows[0]!.exists) await tx.query(this.definition.tables[table](names[table]));
    }
  }

  private async pauseLive(): Promise<boolean> {
    const running = this.consumers.some((c) => c.isRunning);
    for (const consumer of this.consumers) await consumer.stop();
    return running;
  }

  private async resumeLive(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
  }

  /** Reads a stream to its current end with an ordered consumer, applying in large transactions. */
  private async replay(
    stream: Context,
    includes: (event: ConsumedEvent) => boolean,
  ): Promise<number> {
    const name = this.runtime.naming.stream(stream);
    const info = await this.runtime.jsm.streams.info(name);
    const end = info.state.last_seq;
    if (info.state.messages === 0) return 0;
    const registry = this.runtime.registry ?? eventRegistry;
    const consumer = await this.runtime.js.consumers.get(name, {
      deliver_policy: DeliverPolicy.All,
    });
    const messages = await consumer.consume({ max_messages: REBUILD_BATCH * 2 });
    const skipped = await recordedSkips(this.runtime.pool, this.positionsKey(stream));
    let batch: ConsumedEvent[] = [];
    let count = 0;
    const flush = async () => {
      count += await this.applyReplayed(stream, batch, skipped);
      batch = [];
    };
    try {
      for await (const msg of messages) {
        try {
          const event = {
            envelope: registry.parse(msg.json()),
            streamSeq: msg.seq,
            deliveryCount: 1,
          };
          if (includes(event)) batch.push(event);
        } catch {
          // The live consumer dead-lettered it too; the rebuilt model must skip what the live one skipped.
        }
        if (batch.length >= REBUILD_BATCH || msg.info.pending === 0) await flush();
        if (msg.seq >= end) break;
      }
      await flush();
    } finally {
      await messages.close();
    }
    return count;
  }

  private async applyReplayed(
    stream: Context,
    events: ConsumedEvent[],
    skipped: IsSkipped,
  ): Promise<number> {
    if (events.length === 0) return 0;
    const key = this.positionsKey(stream, true);
    // Shadow tables are replayable from the log and unread until the swap, which commits
    // durably; so their batches need not wait for the disk.
    const handle = async (batch: readonly ConsumedEvent[], tx: PoolClient) => {
      await tx.query('SET LOCAL synchronous_commit TO off');
      await this.definition.apply(batch, tx, this.shadowTables);
    };
    const { pool } = this.runtime;
    const inOrder = (sorted: Sorted) => {
      // The relay publishes each aggregate in version order: a gap here is a lost event, and a
      // model built past it would differ from the live one, which still waits for it.
      const early = sorted.early[0];
      if (early)
        throw new Error(
          `projection ${this.definition.name}: ${early.envelope.streamId} version ${early.envelope.streamVersion} has no predecessor on the bus`,
        );
      return sorted.apply.length;
    };
    let sorted: Sorted;
    try {
      sorted = await withTransaction(pool, (tx) => applyInOrder(tx, key, events, handle, skipped));
    } catch {
      let applied = 0;
      for (const event of events) {
        let one: Sorted;
        try {
          one = await withTransaction(pool, (tx) =>
            applyInOrder(tx, key, [event], handle, skipped),
          );
        } catch (error) {
          // As the live consumer does, after its tries: skip it and move the position past it.
          await withTransaction(pool, (tx) => savePositions(tx, key, [event]));
          this.runtime.log?.('warn', 'rebuild skipped an event its handler refuses', {
            projection: this.definition.name,
            streamSeq: event.streamSeq,
            ...errorDetails(error),
          });
          continue;
        }
        applied += inOrder(one);
      }
      return applied;
    }
    return inOrder(sorted);
  }
}
