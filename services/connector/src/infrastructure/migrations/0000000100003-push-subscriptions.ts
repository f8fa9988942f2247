import { SqlMigration } from '@cs/eventing';

export class ConnectorPushSubscriptions0000000100003 extends SqlMigration {
  readonly name = 'ConnectorPushSubscriptions0000000100003';
  override readonly legacyId = '0100-connector-003-push-subscriptions';
  protected readonly sql = `
      -- One row per calendar that has or wants push. The channel in use and the one being opened
      -- (the first, or Google's renewal by a new channel) are both recognised.
      CREATE TABLE push_subscriptions (
        calendar_id text PRIMARY KEY,
        connection_id text NOT NULL REFERENCES connections ON DELETE CASCADE,
        provider text NOT NULL,
        -- Raised whenever the connection's calendars change: work planned before is looked at again.
        version integer NOT NULL DEFAULT 0,
        channel_id text UNIQUE,
        pending_channel_id text UNIQUE,
        provider_subscription_id text,
        resource_id text,
        -- The secret the provider echoes (channel token, clientState, signing key), sealed.
        key_id text,
        sealed_token text,
        expires_at timestamptz,
        -- A lifecycle notification's request: 'renew' or 'resubscribe'.
        requested text,
        next_action_at timestamptz NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX push_subscriptions_due ON push_subscriptions (next_action_at);
      CREATE INDEX push_subscriptions_connection ON push_subscriptions (connection_id);
      CREATE INDEX push_subscriptions_provider_id
        ON push_subscriptions (provider, provider_subscription_id);
      CREATE INDEX push_subscriptions_resource ON push_subscriptions (provider, resource_id);
      -- Calendly redelivers a webhook until it gets a 2xx: each invitee event is applied once.
      CREATE TABLE calendly_deliveries (
        calendar_id text NOT NULL,
        invitee text NOT NULL,
        event text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (calendar_id, invitee, event)
      );
    `;
}
