import type { Context } from '@cs/contracts';
import { consumerName } from '@cs/eventing';
import type { Pool } from 'pg';
import type { WrittenPosition } from './consistency-token';

/** What a read queries, and so which written positions it can wait for. */
export interface ReadSources {
  /** Projections by name: positions of a context one consumes wait for its active generation. */
  readonly projections?: readonly string[];
  /** The service's own context, when the read queries rows written with its own events. */
  readonly ownContext?: Context;
}

/**
 * The positions among `positions` these sources follow but have not applied yet; positions of
 * a context none of them follows are not theirs to wait for and are left out.
 */
export async function unappliedPositions(
  db: Pool,
  sources: ReadSources,
  positions: readonly WrittenPosition[],
): Promise<WrittenPosition[]> {
  const pending = new Set<WrittenPosition>();
  const own = positions.filter((p) => p.context === sources.ownContext);
  if (own.length > 0) {
    const { rows } = await db.query<{ i: string }>(
      `SELECT t.i FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS t(stream_id, version, i)
       WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = t.stream_id AND e.stream_version >= t.version)`,
      [own.map((p) => p.streamId), own.map((p) => p.version)],
    );
    for (const { i } of rows) pending.add(own[Number(i) - 1]!);
  }
  const checks = await projectionChecks(db, sources.projections ?? [], positions);
  if (checks.length > 0) {
    const { rows } = await db.query<{ i: string }>(
      `SELECT t.i FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS t(consumer, stream_id, version, i)
       LEFT JOIN consumer_positions p ON p.consumer = t.consumer AND p.stream_id = t.stream_id
       WHERE coalesce(p.stream_version, 0) < t.version`,
      [
        checks.map((c) => c.consumer),
        checks.map((c) => c.position.streamId),
        checks.map((c) => c.position.version),
      ],
    );
    for (const { i } of rows) pending.add(checks[Number(i) - 1]!.position);
  }
  return [...pending];
}

/** Each position against the consumer of each active generation that reads its context. */
async function projectionChecks(
  db: Pool,
  projections: readonly string[],
  positions: readonly WrittenPosition[],
): Promise<Array<{ consumer: string; position: WrittenPosition }>> {
  if (projections.length === 0 || positions.length === 0) return [];
  // Read every time: after a switch the retired generation's consumers stop moving.
  const { rows } = await db.query<{ projection: string; generation: number; streams: string[] }>(
    `SELECT projection, generation, streams FROM projection_generations
     WHERE state = 'active' AND projection = ANY($1)`,
    [projections],
  );
  return rows.flatMap((g) =>
    positions
      .filter((p) => g.streams.includes(p.context))
      .map((position) => ({
        consumer: consumerName(g.projection, position.context, g.generation),
        position,
      })),
  );
}
