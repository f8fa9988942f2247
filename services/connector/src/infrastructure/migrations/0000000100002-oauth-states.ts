import { SqlMigration } from '@cs/eventing';

export class ConnectorOauthStates0000000100002 extends SqlMigration {
  readonly name = 'ConnectorOauthStates0000000100002';
  override readonly legacyId = '0100-connector-002-oauth-states';
  protected readonly sql = `
      -- One row per authorization started; used_at makes the state single-use.
      CREATE TABLE oauth_states (
        state_id text PRIMARY KEY,
        connection_id text NOT NULL REFERENCES connections ON DELETE CASCADE,
        key_id text NOT NULL,
        sealed_verifier text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
    `;
}
