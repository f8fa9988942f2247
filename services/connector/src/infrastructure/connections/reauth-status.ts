import type { PoolClient } from 'pg';

// SQL: the reauth consumer writes these in its own transaction, a bare pg client.

/** Marks a live, active connection; false when it was not (already marked, pending or removed). */
export async function markReauthRequired(tx: PoolClient, connectionId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE connections SET status = 'reauth_required'
      WHERE connection_id = $1 AND status = 'active' AND removed_at IS NULL`,
    [connectionId],
  );
  return rowCount !== 0;
}

/** A calendar of the connection synced again: the episode is over. */
export async function markReauthorized(tx: PoolClient, connectionId: string): Promise<void> {
  await tx.query(
    `UPDATE connections SET status = 'active' WHERE connection_id = $1 AND status = 'reauth_required'`,
    [connectionId],
  );
}
