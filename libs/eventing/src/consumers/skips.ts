import type { Pool, PoolClient } from 'pg';
import { lockPositions } from './positions';
import type { IsSkipped } from './positions';

export interface Skip {
  consumer: string;
  streamId: string;
  streamVersion: number;
  reason: string;
  /** Who decided: `dead-letter` for a handler that kept failing, else the operator's name. */
  skippedBy: string;
}

/** `skipped`: recorded now; `applied`: the version was applied or skipped before; `not-next`: an earlier version is still missing. */
export type SkipOutcome = 'skipped' | 'applied' | 'not-next';

/**
 * The only way a consumer moves past a version without applying it: the next version of the
 * stream, with a reason and who decided, in the audit table `consumer_skips`. Events waiting for
 * it then apply at their next redelivery.
 */
export async function skipEvent(tx: PoolClient, skip: Skip): Promise<SkipOutcome> {
  const last = (await lockPositions(tx, skip.consumer, [skip.streamId])).get(skip.streamId) ?? 0;
  if (skip.streamVersion <= last) return 'applied';
  if (skip.streamVersion !== last + 1) return 'not-next';
  await tx.query(
    `UPDATE consumer_positions SET stream_version = $3 WHERE consumer = $1 AND stream_id = $2`,
    [skip.consumer, skip.streamId, skip.streamVersion],
  );
  await tx.query(
    `INSERT INTO consumer_skips (consumer, stream_id, stream_version, reason, skipped_by)
     VALUES ($1, $2, $3, $4, $5)`,
    [skip.consumer, skip.streamId, skip.streamVersion, skip.reason, skip.skippedBy],
  );
  return 'skipped';
}

/** What a consumer skipped on purpose, for a replay that must skip the same versions. */
export async function recordedSkips(pool: Pool, consumer: string): Promise<IsSkipped> {
  const { rows } = await pool.query<{ stream_id: string; stream_version: number }>(
    'SELECT stream_id, stream_version FROM consumer_skips WHERE consumer = $1',
    [consumer],
  );
  const skipped = new Set(rows.map((r) => `${r.stream_version}:${r.stream_id}`));
  return (streamId, streamVersion) => skipped.has(`${streamVersion}:${streamId}`);
}
