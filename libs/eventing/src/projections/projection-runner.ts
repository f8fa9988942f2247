import { randomUUID } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Context } from '@cs/contracts';
import type { PoolClient } from 'pg';
import { sleep } from '../backoff';
import {
  DurableConsumer,
  type ConsumerDefinition,
  type ConsumerRuntime,
} from '../consumers/durable-consumer';
import { recordedSkips } from '../consumers/skips';
import { errorDetails } from '../log';
import { withTransaction } from '../postgres/pool';
import { Wakeup } from '../wakeup';
import { compareTables, type TableDifferences } from './compare-tables';
import {
  abandonedGenerations,
  compareModelVersions,
  consumerName,
  deleteGeneration,
  dominates,
  dropLease,
  insertGeneration,
  lockProjection,
  physicalName,
  pointViews,
  readGenerations,
  renewLeases,
  viewName,
  type Generation,
  type ModelVersion,
} from './generations';
import { type PersonalData, revealUnsealed } from '../personal-data/personal-data';
import type { ApplyContext, ProjectionDefinition, TableNames } from './projection';
import { replayStream } from './replay';

/**
 * A build catches up from sequence 1 in transactions of thousands of events: per-batch costs (the
 * position locks, the commit's disk flush, the round trips) shrink to nothing per event. Commits
 * stay synchronous, and acks still follow them: an ack after an asynchronous commit could lose an
 * event if PostgreSQL crashed before the flush, since JetStream would never redeliver it and the
 * build would stall behind the gap (or, for an aggregate's last event, miss it). One flush per
 * few thousand events costs too little to be worth that.
 */
const BUILD_BATCH = 4096;

export interface RebuildReport {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface VerifyReport {
  equal: boolean;
  /** Per table: how many rows differ, and the first of them with their differing values. */
  differences: Record<string, TableDifferences>;
}

export interface ProjectionRunnerOptions extends Pick<
  ConsumerDefinition,
  'ackWaitMs' | 'batchSize' | 'maxAttempts'
> {
  /** How often an instance reads the registry, renews its leases and tries a switch or a drop. */
  tickMs?: number;
  /** A lease not renewed for this long is a dead instance's: its retired generation may go. */
  leaseTtlMs?: number;
  /** Events per transaction while a generation is building (catching up from sequence 1). */
  buildBatchSize?: number;
  /** How many differing rows per table `verify()` lists. */
  verifyRows?: number;
  /**
   * The operator's `PROJECTION_EPOCH` (0): raising it builds this version anew beside the active
   * model, exactly as a new code version would. Never lower it without raising the version.
   */
  epoch?: number;
  /**
   * The key store, for projections that open personal data (`ApplyContext.reveal`); looked up when
   * a batch is applied, since a service makes it after its runners.
   */
  personal?: () => PersonalData | undefined;
}

/**
 * Keeps a read model up to date from the bus. Each build of the model is a generation with its
 * own tables and durable consumers; readers query stable views of the active one. A new version
 * (or `rebuild()`) builds a generation beside it with the same exactly-once consumers, and the
 * views move to it in one transaction once it has caught up; the old one is dropped when no
 * instance still holds a lease on it.
 */
export class ProjectionRunner<T extends string = string> {
  private readonly instance = randomUUID();
  private readonly running = new Map<number, DurableConsumer[]>();
  private readonly wakeup = new Wakeup();
  private readonly tickMs: number;
  private readonly leaseTtlMs: number;
  private readonly own: ModelVersion;
  private started = false;
  private loop: Promise<void> | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly definition: ProjectionDefinition<T>,
    private readonly runtime: ConsumerRuntime,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1_000;
    this.leaseTtlMs = options.leaseTtlMs ?? 15_000;
    this.own = { version: definition.version, epoch: options.epoch ?? 0 };
  }

  private readonly reveal: ApplyContext['reveal'] = (tx, value) => {
    const personal = this.options.personal?.();
    return personal ? personal.reveal(tx, value) : Promise.resolve(revealUnsealed(value));
  };

  /** The stable names readers query. */
  get tables(): TableNames<T> {
    return this.names((t) => viewName(this.definition.name, t));
  }

  get name(): string {
    return this.definition.name;
  }

  liveConsumers(): readonly DurableConsumer[] {
    return [...this.running.values()].flat();
  }

  /** Serves the active generation if it is this version, and builds this version if it is newer. */
  async start(): Promise<void> {
    this.started = true;
    await this.register(false);
    await this.tick();
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.wakeup.ring();
    await this.loop;
    this.loop = undefined;
    await this.ticking;
    for (const generation of [...this.running.keys()]) await this.leave(generation);
  }

  /**
   * Builds this version again from sequence 1 beside the active model, and returns once readers
   * have moved to it. Instances asking at once share one build.
   */
  async rebuild(): Promise<RebuildReport> {
    const started = performance.now();
    const target = (await this.register(true))!;
    for (;;) {
      await this.tick();
      const row = (await readGenerations(this.runtime.pool, this.name)).find(
        (g) => g.generation === target,
      );
      if (!row || row.state === 'retiring')
        throw new Error(`projection ${this.name}: build ${target} was superseded`);
      if (row.state === 'active') break;
      // The caller waits for the switch, which follows the build's last batch by up to this long.
      await sleep(Math.min(this.tickMs, 50));
    }
    if (!this.started) {
      for (const generation of [...this.running.keys()]) await this.leave(generation);
      await this.dropAbandoned();
    }
    const { rows } = await this.runtime.pool.query<{ n: string }>(
      'SELECT coalesce(sum(stream_version), 0) AS n FROM consumer_positions WHERE consumer = ANY($1)',
      [this.definition.streams.map((s) => consumerName(this.name, s, target))],
    );
    const events = Number(rows[0]!.n);
    const seconds = (performance.now() - started) / 1000;
    return { events, seconds, eventsPerSecond: seconds > 0 ? events / seconds : events };
  }

  /**
   * Replays a throw-away copy up to exactly what the active model has applied (one snapshot of
   * its rows and positions) and compares the two row by row.
   */
  verify(): Promise<VerifyReport> {
    return this.exclusively(() => this.verifyNow());
  }

  private names(name: (table: T) => string): TableNames<T> {
    const tables = Object.keys(this.definition.tables) as T[];
    return Object.fromEntries(tables.map((t) => [t, name(t)])) as TableNames<T>;
  }

  private async run(): Promise<void> {
    while (this.started) {
      await this.wakeup.wait(this.tickMs);
      if (this.started) await this.tick();
    }
  }

  private tick(): Promise<void> {
    this.ticking ??= this.tickNow()
      .catch((error: unknown) =>
        this.runtime.log?.('warn', 'projection registry pass failed', {
          projection: this.name,
          ...errorDetails(error),
        }),
      )
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async tickNow(): Promise<void> {
    const { pool } = this.runtime;
    await renewLeases(pool, this.name, this.instance);
    const generations = await readGenerations(pool, this.name);
    for (const generation of [...this.running.keys()]) {
      const row = generations.find((g) => g.generation === generation);
      if (!row || row.state === 'retiring') await this.leave(generation);
    }
    for (const g of generations) {
      const wanted = g.state === 'building' || (g.state === 'active' && this.started);
      if (wanted && compareModelVersions(g, this.own) === 0 && !this.running.has(g.generation))
        await this.join(g);
    }
    const building = generations.find(
      (g) => g.state === 'building' && this.running.has(g.generation),
    );
    if (building) await this.trySwitch(building);
    if (generations.some((g) => g.state === 'active' && this.running.has(g.generation)))
      await this.dropAbandoned();
  }

  /**
   * Records the projection on first sight and, when this version (and epoch) is newer than the
   * active one (or a rebuild is asked for), a generation to build. Returns the generation serving
   * this version, if any.
   */
  private async register(rebuild: boolean): Promise<number | undefined> {
    const ends = await this.streamEnds();
    return withTransaction(this.runtime.pool, async (tx) => {
      await lockProjection(tx, this.name);
      let generations = await readGenerations(tx, this.name);
      if (generations.length === 0) {
        await this.adopt(tx);
        generations = await readGenerations(tx, this.name);
      }
      const { own } = this;
      const active = generations.find((g) => g.state === 'active')!;
      const building = generations.find((g) => g.state === 'building');
      if (building && compareModelVersions(building, own) === 0) return building.generation;
      if (compareModelVersions(active, own) === 0 && !rebuild) return active.generation;
      if (
        compareModelVersions(active, own) > 0 ||
        (building && compareModelVersions(building, own) > 0)
      ) {
        if (rebuild)
          throw new Error(
            `projection ${this.name}: a newer version than ${own.version} (epoch ${own.epoch}) is served`,
          );
        this.runtime.log?.(
          'warn',
          'a newer projection version is served; this instance applies nothing',
          { projection: this.name, ...own },
        );
        return undefined;
      }
      // An older version's unfinished build: nobody will read it.
      if (building) await this.retire(tx, building.generation);
      const next: Generation = {
        generation: Math.max(...generations.map((g) => g.generation)) + 1,
        ...own,
        state: 'building',
        tables: Object.keys(this.definition.tables),
        streams: [...this.definition.streams],
        replayedUntil: ends,
      };
      await this.createTables(tx, next);
      await insertGeneration(tx, this.name, next);
      return next.generation;
    });
  }

  /**
   * Generation 1: new tables, or the plain tables of a release before generations, renamed
   * under the views (their writers keep writing through the views meanwhile). Those were built
   * before epochs, so at epoch 0.
   */
  private async adopt(tx: PoolClient): Promise<void> {
    const { rows } = await tx.query<{ version: number }>(
      'SELECT version FROM projection_versions WHERE projection = $1',
      [this.name],
    );
    const earlier = rows[0]?.version;
    const tables: string[] = [];
    for (const table of Object.keys(this.definition.tables)) {
      const { rows: kind } = await tx.query<{ relkind: string }>(
        'SELECT relkind FROM pg_class WHERE oid = to_regclass($1)',
        [viewName(this.name, table)],
      );
      if (kind[0]?.relkind !== 'r') continue;
      await tx.query(
        `ALTER TABLE ${viewName(this.name, table)} RENAME TO ${physicalName(this.name, table, 1)}`,
      );
      tables.push(table);
    }
    const version = earlier ?? this.definition.version;
    const first: Generation = {
      generation: 1,
      version,
      epoch: earlier === undefined ? this.own.epoch : 0,
      state: 'active',
      tables: version === this.definition.version ? Object.keys(this.definition.tables) : tables,
      streams: [...this.definition.streams],
      replayedUntil: {},
    };
    await this.createTables(tx, first);
    await insertGeneration(tx, this.name, first);
    await pointViews(tx, this.name, [], first);
    await tx.query(
      `INSERT INTO projection_versions (projection, version) VALUES ($1, $2)
       ON CONFLICT (projection) DO NOTHING`,
      [this.name, version],
    );
  }

  private async createTables(tx: PoolClient, g: Generation): Promise<void> {
    for (const table of g.tables as T[]) {
      const name = physicalName(this.name, table, g.generation);
      const { rows } = await tx.query<{ exists: string | null }>(
        'SELECT to_regclass($1) AS exists',
        [name],
      );
      if (!rows[0]!.exists) await tx.query(this.definition.tables[table](name));
    }
  }

  private async retire(tx: PoolClient, generation: number): Promise<void> {
    await tx.query(
      `UPDATE projection_generations SET state = 'retiring', since = now()
       WHERE projection = $1 AND generation = $2`,
      [this.name, generation],
    );
  }

  private async streamEnds(): Promise<Record<string, number>> {
    const ends: Record<string, number> = {};
    for (const stream of this.definition.streams) {
      const info = await this.runtime.jsm.streams.info(this.runtime.naming.stream(stream));
      ends[stream] = info.state.last_seq;
    }
    return ends;
  }

  /** Takes a lease on a generation that is not retiring, then runs its consumers. */
  private async join(g: Generation): Promise<void> {
    const joined = await withTransaction(this.runtime.pool, async (tx) => {
      await lockProjection(tx, this.name);
      const { rows } = await tx.query<{ state: string }>(
        'SELECT state FROM projection_generations WHERE projection = $1 AND generation = $2',
        [this.name, g.generation],
      );
      if (!rows[0] || rows[0].state === 'retiring') return false;
      await tx.query(
        `INSERT INTO projection_leases (projection, generation, instance) VALUES ($1, $2, $3)
         ON CONFLICT (projection, generation, instance) DO UPDATE SET seen_at = now()`,
        [this.name, g.generation, this.instance],
      );
      return true;
    });
    if (!joined) return;
    const tables = this.names((t) => physicalName(this.name, t, g.generation));
    const { ackWaitMs, maxAttempts } = this.options;
    // Consumers joined to a build keep its batch size after the switch, until the instance restarts.
    const batchSize =
      g.state === 'building'
        ? (this.options.buildBatchSize ?? BUILD_BATCH)
        : this.options.batchSize;
    const consumers = g.streams.map((stream) => {
      const history = g.replayedUntil[stream] ?? 0;
      return new DurableConsumer(
        {
          ackWaitMs,
          batchSize,
          maxAttempts,
          name: consumerName(this.name, stream, g.generation),
          stream: stream as Context,
          handle: (events, tx) =>
            this.definition.apply(events, tx, tables, {
              live: events.some((e) => e.streamSeq > history),
              reveal: this.reveal,
            }),
        },
        this.runtime,
      );
    });
    this.running.set(g.generation, consumers);
    for (const consumer of consumers) await consumer.start();
  }

  private async leave(generation: number): Promise<void> {
    for (const consumer of this.running.get(generation) ?? []) await consumer.stop();
    this.running.delete(generation);
    await dropLease(this.runtime.pool, this.name, generation, this.instance);
  }

  /**
   * Moves the views to the build once it has applied everything on its streams at this moment
   * (acks follow commits, so the ack floor is a lower bound) and at least what the active model
   * has, for every aggregate.
   */
  private async trySwitch(candidate: Generation): Promise<void> {
    const { jsm, naming } = this.runtime;
    for (const stream of candidate.streams) {
      const name = naming.stream(stream as Context);
      const end = (await jsm.streams.info(name)).state.last_seq;
      const consumer = naming.durable(consumerName(this.name, stream, candidate.generation));
      if ((await jsm.consumers.info(name, consumer)).ack_floor.stream_seq < end) return;
    }
    await withTransaction(this.runtime.pool, async (tx) => {
      await lockProjection(tx, this.name);
      const generations = await readGenerations(tx, this.name);
      const active = generations.find((g) => g.state === 'active')!;
      const build = generations.find((g) => g.generation === candidate.generation);
      if (build?.state !== 'building') return;
      // Holds the active model's writers until commit: it cannot get ahead after the check.
      for (const table of active.tables)
        await tx.query(
          `LOCK TABLE ${physicalName(this.name, table, active.generation)} IN SHARE MODE`,
        );
      const shared = build.streams.filter((s) => active.streams.includes(s));
      const ahead = await dominates(
        tx,
        shared.map((s) => consumerName(this.name, s, build.generation)),
        shared.map((s) => consumerName(this.name, s, active.generation)),
      );
      if (!ahead) return;
      await pointViews(tx, this.name, active.tables, build);
      await this.retire(tx, active.generation);
      await tx.query(
        `UPDATE projection_generations SET state = 'active', since = now()
         WHERE projection = $1 AND generation = $2`,
        [this.name, build.generation],
      );
      await tx.query(
        `INSERT INTO projection_versions (projection, version) VALUES ($1, $2)
         ON CONFLICT (projection) DO UPDATE SET version = excluded.version, rebuilt_at = now()`,
        [this.name, build.version],
      );
      this.runtime.log?.('info', 'projection switched to a new generation', {
        projection: this.name,
        generation: build.generation,
        version: build.version,
        epoch: build.epoch,
      });
    });
  }

  /** Drops retired generations no instance holds a lease on: their tables and consumers. */
  private async dropAbandoned(): Promise<void> {
    const { jsm, naming, pool } = this.runtime;
    await withTransaction(pool, async (tx) => {
      await lockProjection(tx, this.name);
      await tx.query(
        `DELETE FROM projection_leases
         WHERE projection = $1 AND seen_at < now() - make_interval(secs => $2)`,
        [this.name, this.leaseTtlMs / 1000],
      );
      for (const g of await abandonedGenerations(tx, this.name, this.leaseTtlMs)) {
        for (const stream of g.streams) {
          await jsm.consumers
            .delete(
              naming.stream(stream as Context),
              naming.durable(consumerName(this.name, stream, g.generation)),
            )
            .catch((error: unknown) => {
              const gone =
                error instanceof JetStreamApiError &&
                error.code === JetStreamApiCodes.ConsumerNotFound;
              if (!gone) throw error;
            });
        }
        await deleteGeneration(tx, this.name, g);
      }
    });
  }

  /**
   * One verify per projection at a time across every instance: they share the scratch tables. A
   * session advisory lock on its own connection, so a crash lets it go.
   */
  private async exclusively<R>(work: () => Promise<R>): Promise<R> {
    const client = await this.runtime.pool.connect();
    const key = `projection-verify:${this.name}`;
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

  private async verifyNow(): Promise<VerifyReport> {
    const { pool } = this.runtime;
    const active = (await readGenerations(pool, this.name)).find((g) => g.state === 'active');
    if (!active || compareModelVersions(active, this.own) !== 0)
      throw new Error(
        `projection ${this.name}: version ${this.own.version} (epoch ${this.own.epoch}) is not the one served`,
      );
    const live = this.names((t) => physicalName(this.name, t, active.generation));
    const copy = this.names((t) => `proj_${this.name}_${t}__vl`);
    const scratch = this.names((t) => `proj_${this.name}_${t}__vr`);
    const tables = Object.keys(live) as T[];
    const key = (stream: string) => `${consumerName(this.name, stream, active.generation)}#verify`;
    const positions = await this.snapshot(active.generation, live, copy);
    try {
      await withTransaction(pool, async (tx) => {
        for (const t of tables) {
          await tx.query(`DROP TABLE IF EXISTS ${scratch[t]}`);
          await tx.query(this.definition.tables[t](scratch[t]));
        }
        await tx.query('DELETE FROM consumer_positions WHERE consumer = ANY($1)', [
          this.definition.streams.map(key),
        ]);
      });
      for (const stream of this.definition.streams) {
        const applied = positions.get(stream)!;
        await replayStream(this.runtime, {
          projection: this.name,
          stream,
          key: key(stream),
          includes: (e) => e.envelope.streamVersion <= (applied.get(e.envelope.streamId) ?? 0),
          skipped: await recordedSkips(pool, consumerName(this.name, stream, active.generation)),
          handle: (events, tx) =>
            this.definition.apply(events, tx, scratch, { live: false, reveal: this.reveal }),
        });
      }
      const differences: Record<string, TableDifferences> = {};
      for (const t of tables)
        differences[t] = await compareTables(
          pool,
          copy[t],
          scratch[t],
          live[t],
          this.options.verifyRows ?? 20,
        );
      return { equal: Object.values(differences).every((d) => d.count === 0), differences };
    } finally {
      await withTransaction(pool, async (tx) => {
        for (const t of tables) {
          await tx.query(`DROP TABLE IF EXISTS ${copy[t]}`);
          await tx.query(`DROP TABLE IF EXISTS ${scratch[t]}`);
        }
        await tx.query('DELETE FROM consumer_positions WHERE consumer = ANY($1)', [
          this.definition.streams.map(key),
        ]);
      });
    }
  }

  /** Copies the active rows and reads its positions in one snapshot, so the two agree. */
  private async snapshot(
    generation: number,
    live: TableNames<T>,
    copy: TableNames<T>,
  ): Promise<Map<string, Map<string, number>>> {
    const client = await this.runtime.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const positions = new Map<string, Map<string, number>>();
      const active = (await readGenerations(client, this.name)).find((g) => g.state === 'active');
      if (active?.generation !== generation)
        throw new Error(`projection ${this.name}: switched during verify, try again`);
      for (const stream of this.definition.streams) {
        const { rows } = await client.query<{ stream_id: string; stream_version: number }>(
          'SELECT stream_id, stream_version FROM consumer_positions WHERE consumer = $1',
          [consumerName(this.name, stream, generation)],
        );
        positions.set(stream, new Map(rows.map((r) => [r.stream_id, r.stream_version])));
      }
      for (const t of Object.keys(live) as T[]) {
        await client.query(`DROP TABLE IF EXISTS ${copy[t]}`);
        await client.query(`CREATE UNLOGGED TABLE ${copy[t]} AS TABLE ${live[t]}`);
      }
      await client.query('COMMIT');
      return positions;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
