import type { Migration } from '@cs/eventing';

export const connectorMigrations: Migration[] = [
  {
    id: '0100-connector-001-connections',
    sql: `
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
    `,
  },
  {
    id: '0100-connector-002-oauth-states',
    sql: `
      -- One row per authorization started; used_at makes the state single-use.
      CREATE TABLE oauth_states (
        state_id text PRIMARY KEY,
        connection_id text NOT NULL REFERENCES connections ON DELETE CASCADE,
        key_id text NOT NULL,
        sealed_verifier text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
    `,
  },
  {
    id: '0100-connector-003-push-subscriptions',
    sql: `
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
    `,
  },
  {
    id: '0100-connector-004-push-notification-url',
    sql: `
      -- Where the provider was told to send notifications: a channel whose address is no
      -- longer ours (PUBLIC_WEBHOOK_URL changed) is replaced.
      ALTER TABLE push_subscriptions ADD COLUMN notification_url text;
    `,
  },
];
