import { SqlMigration } from '@cs/eventing';

export class SyncConnectionHost0000000100006 extends SqlMigration {
  readonly name = 'SyncConnectionHost0000000100006';
  override readonly legacyId = '0100-sync-006-connection-host';
  protected readonly sql = `
      -- The server a connection is read from (see hostKey): concurrency and breakers are per host.
      ALTER TABLE sync_connections ADD COLUMN host text;
      UPDATE sync_connections SET host = CASE WHEN provider IN ('google', 'microsoft', 'calendly')
        THEN provider ELSE 'connection:' || connection_id END;
      ALTER TABLE sync_connections ALTER COLUMN host SET NOT NULL;
    `;
}
