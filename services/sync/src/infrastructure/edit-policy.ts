import type { mirroredEditPolicies } from '@cs/contracts';
import type { Pool, PoolClient } from 'pg';

export type EditPolicy = (typeof mirroredEditPolicies)[number];

/** A Pro who never chose gets the platform's default: platform wins. */
export async function editPolicyOf(db: Pool | PoolClient, proId: string): Promise<EditPolicy> {
  const { rows } = await db.query<{ mirrored_edits: EditPolicy }>(
    'SELECT mirrored_edits FROM sync_policies WHERE pro_id = $1',
    [proId],
  );
  return rows[0]?.mirrored_edits ?? 'platform_wins';
}
