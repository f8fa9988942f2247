import { SqlMigration } from '@cs/eventing';

export class ConnectorConnections0000000100001 extends SqlMigration {
  readonly name = 'ConnectorConnections0000000100001';
  override readonly legacyId = '0100-connector-001-connections';
  protected readonly sql = `
      CREATE TABLE connections (
        connection_id text PRIMARY KEY,
        pro_id text NOT NULL,
        provider text NOT NULL,
        status text NOT NULL,
        -- What may be shown: the CalDAV server or the feed's host; never a secret.
        endpoint text NOT NULL,
        key_id text NOT NULL,
        sealed_credentials text NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL,
        removed_at timestamptz,
        UNIQUE (pro_id, idempotency_key)
      );
      CREATE INDEX connections_pro ON connections (pro_id) WHERE removed_at IS NULL;
      CREATE TABLE connection_calendars (
        calendar_id text PRIMARY KEY,
        connection_id text NOT NULL REFERENCES connections ON DELETE CASCADE,
        position integer NOT NULL,
        url text NOT NULL,
        name text NOT NULL,
        color text,
        writable boolean NOT NULL,
        supports_delta boolean NOT NULL,
        busy_source boolean NOT NULL,
        write_target boolean NOT NULL,
        all_day_blocks boolean NOT NULL
      );
      CREATE INDEX connection_calendars_connection ON connection_calendars (connection_id);
      CREATE TABLE feed_items (
        calendar_id text NOT NULL,
        href text NOT NULL,
        etag text NOT NULL,
        data text NOT NULL,
        PRIMARY KEY (calendar_id, href)
      );
    `;
}
