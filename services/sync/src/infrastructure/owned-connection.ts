import { assertCanAccessPro, type Principal, ProblemException } from '@cs/platform';
import type { Pool } from 'pg';

/** The connection's Pro, if the caller may act for it; 404 when sync does not know it. */
export async function ownedConnection(
  pool: Pool,
  connectionId: string,
  principal: Principal,
): Promise<{ connectionId: string; proId: string; paused: boolean }> {
  const { rows } = await pool.query<{ proId: string; paused: boolean }>(
    'SELECT pro_id AS "proId", paused FROM sync_connections WHERE connection_id = $1 AND NOT removed',
    [connectionId],
  );
  const row = rows[0];
  if (!row)
    throw new ProblemException({
      status: 404,
      type: 'not-found',
      detail: `no connection ${connectionId}`,
    });
  assertCanAccessPro(principal, row.proId);
  return { connectionId, ...row };
}
