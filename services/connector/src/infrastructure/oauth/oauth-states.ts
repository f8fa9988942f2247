import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { CredentialCipher } from '@cs/eventing';

export type StateClaim =
  | { outcome: 'ok'; connectionId: string; codeVerifier: string }
  | { outcome: 'forged' | 'unknown' | 'used' | 'expired' };

/**
 * The OAuth `state`: a random id with an HMAC, stored with the PKCE verifier (sealed) and an
 * expiry, and claimed once. A state we did not sign is refused before the database is asked.
 */
export class OAuthStates {
  private readonly key: Buffer;

  constructor(
    private readonly pool: Pool,
    private readonly cipher: CredentialCipher,
    signingSecret: Buffer,
    private readonly ttlMs: number,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', signingSecret, '', 'careservice oauth state', 32));
  }

  private sign(stateId: string): string {
    return createHmac('sha256', this.key).update(stateId).digest('base64url');
  }

  async issue(
    tx: PoolClient,
    connectionId: string,
    codeVerifier: string,
    now: Date,
  ): Promise<string> {
    const stateId = randomBytes(24).toString('base64url');
    const sealed = this.cipher.seal(codeVerifier, stateId);
    await tx.query(
      `INSERT INTO oauth_states (state_id, connection_id, key_id, sealed_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [
        stateId,
        connectionId,
        sealed.keyId,
        sealed.ciphertext,
        new Date(now.getTime() + this.ttlMs),
      ],
    );
    return `${stateId}.${this.sign(stateId)}`;
  }

  /** Marks the state used whatever comes next: a second callback with it is always refused. */
  async claim(state: string, now: Date): Promise<StateClaim> {
    const [stateId = '', signature = ''] = state.split('.');
    const expected = Buffer.from(this.sign(stateId));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { outcome: 'forged' };
    const { rows } = await this.pool.query<{
      connection_id: string;
      key_id: string;
      sealed_verifier: string;
      expires_at: Date;
      first_use: boolean;
    }>(
      `WITH previous AS (SELECT state_id, used_at IS NULL AS first_use FROM oauth_states WHERE state_id = $1 FOR UPDATE)
       UPDATE oauth_states s SET used_at = coalesce(s.used_at, $2) FROM previous p
        WHERE s.state_id = p.state_id
        RETURNING s.connection_id, s.key_id, s.sealed_verifier, s.expires_at, p.first_use`,
      [stateId, now],
    );
    const row = rows[0];
    if (!row) return { outcome: 'unknown' };
    if (!row.first_use) return { outcome: 'used' };
    if (row.expires_at.getTime() <= now.getTime()) return { outcome: 'expired' };
    return {
      outcome: 'ok',
      connectionId: row.connection_id,
      codeVerifier: this.cipher.open(
        { keyId: row.key_id, ciphertext: row.sealed_verifier },
        stateId,
      ),
    };
  }
}
