import { SqlMigration } from '@cs/eventing';

export class ConnectorPushSecretChanges0000000100005 extends SqlMigration {
  readonly name = 'ConnectorPushSecretChanges0000000100005';
  override readonly legacyId = '0100-connector-005-push-secret-changes';
  protected readonly sql = `
      -- Every instance keeps the webhook secrets in memory (a forged request costs no query):
      -- a change to what a webhook is checked against, or a removed connection, is announced.
      CREATE FUNCTION push_secrets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'connections' THEN
          PERFORM pg_notify('push_secrets:' || TG_TABLE_SCHEMA, 'c:' || NEW.connection_id);
        ELSE
          PERFORM pg_notify('push_secrets:' || TG_TABLE_SCHEMA,
            'p:' || COALESCE(NEW.calendar_id, OLD.calendar_id));
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER push_secrets_changed
        AFTER INSERT OR DELETE OR UPDATE OF connection_id, provider, channel_id, pending_channel_id,
          provider_subscription_id, resource_id, key_id, sealed_token
        ON push_subscriptions FOR EACH ROW EXECUTE FUNCTION push_secrets_changed();
      CREATE TRIGGER push_secrets_changed
        AFTER UPDATE OF removed_at ON connections
        FOR EACH ROW EXECUTE FUNCTION push_secrets_changed();
    `;
}
