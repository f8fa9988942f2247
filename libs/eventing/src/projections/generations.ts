import type { Pool, PoolClient } from 'pg';

/**
 * One build of a projection's model: its own tables and durable consumers. Readers see the
 * `active` one through a stable view per table; a `building` one catches up beside it and takes
 * over when it has; a `retiring` one is dropped once no instance holds a lease on it.
 */
export interface Generation extends ModelVersion {
  generation: number;
  state: 'building' | 'active' | 'retiring';
  tables: string[];
  streams: string[];
  /** Per stream, the last sequence at the start of the build: what came before is history. */
  replayedUntil: Record<string, number>;
}

/**
 * Which model a generation holds: the projection's code version, then the operator's epoch
 * (`PROJECTION_EPOCH`), which builds the same code anew when raised.
 */
export interface ModelVersion {
  version: number;
  epoch: number;
}

/** Orders by code version, then epoch: negative when `a` is older than `b`, 0 when the same. */
export const compareModelVersions = (a: ModelVersion, b: ModelVersion): number =>
  a.version - b.version || a.epoch - b.epoch;

/** The stable name readers query: a view of the active generation's table. */
export const viewName = (projection: string, table: string) => `proj_${projection}_${table}`;

export const physicalName = (projection: string, table: string, generation: number) =>
  `proj_${projection}_${table}__g${generation}`;

/** Generation 1 keeps the consumer name earlier releases used, so their positions carry over. */
export const consumerName = (projection: string, stream: string, generation: number) =>
  `projection_${projection}_${stream}${generation === 1 ? '' : `__g${generation}`}`;

export async function readGenerations(
  db: Pool | PoolClient,
  projection: string,
): Promise<Generation[]> {
  const { rows } = await db.query<{
    generation: number;
    version: number;
    epoch: number;
    state: Generation['state'];
    tables: string[];
    streams: string[];
    replayed_until: Record<string, number>;
  }>(
    `SELECT generation, version, epoch, state, tables, streams, replayed_until
     FROM projection_generations WHERE projection = $1 ORDER BY generation`,
    [projection],
  );
  return rows.map(({ replayed_until, ...r }) => ({ ...r, replayedUntil: replayed_until }));
}

/** Serialises every change to one projection's generations across instances, until commit. */
export async function lockProjection(tx: PoolClient, projection: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projection:${projection}`]);
}

export async function insertGeneration(
  tx: PoolClient,
  projection: string,
  g: Generation,
): Promise<void> {
  await tx.query(
    `INSERT INTO projection_generations (projection, generation, version, epoch, state, tables, streams, replayed_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [projection, g.generation, g.version, g.epoch, g.state, g.tables, g.streams, g.replayedUntil],
  );
}

/** Points every view at the generation's tables; a table the generation lacks loses its view. */
export async function pointViews(
  tx: PoolClient,
  projection: string,
  tables: readonly string[],
  to: Generation,
): Promise<void> {
  // Dropped and created rather than replaced: a new version may reorder or remove columns.
  for (const table of new Set([...tables, ...to.tables]))
    await tx.query(`DROP VIEW IF EXISTS ${viewName(projection, table)}`);
  for (const table of to.tables) {
    await tx.query(
      `CREATE VIEW ${viewName(projection, table)} AS TABLE ${physicalName(projection, table, to.generation)}`,
    );
  }
}

/** Renews this instance's leases; a lease not renewed within the TTL is a dead instance's. */
export async function renewLeases(pool: Pool, projection: string, instance: string) {
  await pool.query(
    'UPDATE projection_leases SET seen_at = now() WHERE projection = $1 AND instance = $2',
    [projection, instance],
  );
}

export async function dropLease(
  pool: Pool,
  projection: string,
  generation: number,
  instance: string,
) {
  await pool.query(
    'DELETE FROM projection_leases WHERE projection = $1 AND generation = $2 AND instance = $3',
    [projection, generation, instance],
  );
}

/** Retiring generations no live instance holds a lease on: nothing writes them any more. */
export async function abandonedGenerations(
  tx: PoolClient,
  projection: string,
  leaseTtlMs: number,
): Promise<Generation[]> {
  const all = await readGenerations(tx, projection);
  const { rows } = await tx.query<{ generation: number }>(
    `SELECT DISTINCT generation FROM projection_leases
     WHERE projection = $1 AND seen_at > now() - make_interval(secs => $2)`,
    [projection, leaseTtlMs / 1000],
  );
  const held = new Set(rows.map((r) => r.generation));
  return all.filter((g) => g.state === 'retiring' && !held.has(g.generation));
}

export async function deleteGeneration(tx: PoolClient, projection: string, g: Generation) {
  for (const table of g.tables)
    await tx.query(`DROP TABLE IF EXISTS ${physicalName(projection, table, g.generation)}`);
  await tx.query('DELETE FROM consumer_positions WHERE consumer = ANY($1)', [
    g.streams.map((s) => consumerName(projection, s, g.generation)),
  ]);
  await tx.query('DELETE FROM projection_leases WHERE projection = $1 AND generation = $2', [
    projection,
    g.generation,
  ]);
  await tx.query('DELETE FROM projection_generations WHERE projection = $1 AND generation = $2', [
    projection,
    g.generation,
  ]);
}

/**
 * True when the candidate has applied at least every version the active generation has, for
 * every aggregate: readers moved to it then never see a row go back.
 */
export async function dominates(
  tx: PoolClient,
  candidate: readonly string[],
  active: readonly string[],
): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM consumer_positions o
     JOIN unnest($1::text[], $2::text[]) AS pair(old_consumer, new_consumer) ON o.consumer = pair.old_consumer
     LEFT JOIN consumer_positions n ON n.consumer = pair.new_consumer AND n.stream_id = o.stream_id
     WHERE coalesce(n.stream_version, 0) < o.stream_version LIMIT 1`,
    [active, candidate],
  );
  return rows.length === 0;
}
