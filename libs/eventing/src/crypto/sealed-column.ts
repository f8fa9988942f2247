import type { Pool } from 'pg';
import type { CredentialCipher } from './credential-cipher';

/** Where a table keeps sealed secrets: the ciphertext column beside `key_id`. */
export interface SealedColumn {
  table: string;
  /** The row's id column. */
  id: string;
  sealed: string;
  /** What each secret is bound to (the cipher's associated data), from the row id. */
  boundTo: (id: string) => string;
  /** Which rows still hold a secret, where some do not (a removed connection's is gone). */
  where?: string;
  /**
   * A secret no configured key opens any more is left for its owner to replace (a push channel
   * gets a new one), instead of stopping the service.
   */
  replaceable?: boolean;
}

export interface Resealed {
  resealed: number;
  /** Replaceable secrets no configured key opens. */
  unreadable: number;
}

/**
 * Seals again, with the newest key, every secret of the column an older key sealed. A row
 * sealed anew meanwhile (a refreshed token, a new channel) is left as it is.
 */
export async function resealStale(
  pool: Pool,
  cipher: CredentialCipher,
  column: SealedColumn,
): Promise<Resealed> {
  const { table, id, sealed } = column;
  const { rows } = await pool.query<{ id: string; key_id: string; sealed: string }>(
    `SELECT ${id} AS id, key_id, ${sealed} AS sealed FROM ${table}
      WHERE key_id <> $1 AND ${sealed} IS NOT NULL${column.where ? ` AND ${column.where}` : ''}`,
    [cipher.currentKeyId],
  );
  const counts: Resealed = { resealed: 0, unreadable: 0 };
  for (const row of rows) {
    const boundTo = column.boundTo(row.id);
    let plaintext: string;
    try {
      plaintext = cipher.open({ keyId: row.key_id, ciphertext: row.sealed }, boundTo);
    } catch (error) {
      if (!column.replaceable) throw error;
      counts.unreadable++;
      continue;
    }
    const again = cipher.seal(plaintext, boundTo);
    await pool.query(
      `UPDATE ${table} SET key_id = $2, ${sealed} = $3 WHERE ${id} = $1 AND key_id = $4 AND ${sealed} = $5`,
      [row.id, again.keyId, again.ciphertext, row.key_id, row.sealed],
    );
    counts.resealed++;
  }
  return counts;
}
