import { sleep } from '@cs/eventing';
import type { Pool } from 'pg';
import { type ReadSources, unappliedPositions } from './applied-positions';
import type { WrittenPosition } from './consistency-token';

const LONGEST_POLL_MS = 50;

/**
 * Polls, each time a little less often, until the sources have applied every position they
 * follow, for at most `boundMs`; false if they have not by then. Positions are per aggregate
 * and only ever move forward, so each round asks only about those still missing.
 */
export async function waitUntilApplied(
  db: Pool,
  sources: ReadSources,
  positions: readonly WrittenPosition[],
  boundMs: number,
): Promise<boolean> {
  const deadline = performance.now() + boundMs;
  let pending = positions;
  for (let delay = 2; ; delay = Math.min(delay * 2, LONGEST_POLL_MS)) {
    pending = await unappliedPositions(db, sources, pending);
    if (pending.length === 0) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await sleep(Math.min(delay, left));
  }
}
