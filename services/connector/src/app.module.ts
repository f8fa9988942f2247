import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { providers } from '@cs/contracts';
import {
  type Clock,
  CredentialCipher,
  EventStore,
  parseCredentialKeys,
  PG_POOL,
} from '@cs/eventing';
import { serviceModules, type ServiceConfig } from '@cs/platform';
import type { Pool } from 'pg';
import { ProviderRegistry } from './domain/provider/provider-registry';
import { ConfigureCalendarController } from './features/configure-calendar/configure-calendar.controller';
import { ConnectCalendarController } from './features/connect-calendar/connect-calendar.controller';
import { ConnectCalendarHandler } from './features/connect-calendar/connect-calendar.handler';
import { DisconnectController } from './features/disconnect/disconnect.controller';
import { reauthConsumer } from './features/require-reauth/reauth.consumer';
import { SyncRequestResponder } from './features/serve-sync-requests/sync-request-responder';
import { ViewConnectionsController } from './features/view-connections/view-connections.controller';
import { ConnectionCalendarRecord } from './infrastructure/connections/connection-calendar.entity';
import { ConnectionCommands } from './infrastructure/connections/connection-commands';
import { connectionSecrets, ConnectionStore } from './infrastructure/connections/connection-store';
import { ConnectionRecord } from './infrastructure/connections/connection.entity';
import type { ConnectorConfig } from './infrastructure/connector-config';
import { RotateCredentialsOnStart } from './infrastructure/credentials/rotate-credentials';
import { connectorMigrations } from './infrastructure/migrations';
import { CalDavProvider } from './infrastructure/providers/caldav/caldav-provider';
import { IcsProvider } from './infrastructure/providers/ics/ics-provider';
import { PgFeedItemStore } from './infrastructure/providers/ics/pg-feed-item-store';
import { CompleteAuthorizationHandler } from './features/complete-authorization/complete-authorization.handler';
import {
  MicrosoftOAuthCallbackController,
  OAuthCallbackController,
} from './features/complete-authorization/oauth-callback.controller';
import { PendingAuthorizations } from './features/connect-calendar/pending-authorization';
import { StartGoogleAuthorization } from './features/connect-calendar/start-google-authorization';
import { StartMicrosoftAuthorization } from './features/connect-calendar/start-microsoft-authorization';
import { FreshCredentials } from './infrastructure/oauth/fresh-credentials';
import { GoogleTokens } from './infrastructure/oauth/google-tokens';
import { MicrosoftTokens } from './infrastructure/oauth/microsoft-tokens';
import { OAuthStates } from './infrastructure/oauth/oauth-states';
import {
  GOOGLE_CLIENT_CONFIG,
  googleClientConfig,
} from './infrastructure/providers/google/google-config';
import { GoogleProvider } from './infrastructure/providers/google/google-provider';
import {
  MICROSOFT_CLIENT_CONFIG,
  microsoftClientConfig,
} from './infrastructure/providers/microsoft/microsoft-config';
import { MicrosoftProvider } from './infrastructure/providers/microsoft/microsoft-provider';
import { ProviderItemStore } from './infrastructure/providers/provider-item-store';
import { CalendlyApi } from './infrastructure/providers/calendly/calendly-api';
import { CalendlyItemStore } from './infrastructure/providers/calendly/calendly-item-store';
import { CalendlyProvider } from './infrastructure/providers/calendly/calendly-provider';
import { PUSH_CONFIG, pushConfig } from './features/push-subscriptions/push-config';
import {
  pushSecrets,
  PushSubscriptionStore,
} from './infrastructure/push-subscriptions/push-subscription-store';
import { PushSubscriptionRecord } from './infrastructure/push-subscriptions/push-subscription.entity';
import { pushSubscriptionsConsumer } from './features/push-subscriptions/push-subscriptions.consumer';
import { SubscriptionManager } from './features/push-subscriptions/subscription-manager';
import { CalendlyWebhookController } from './features/receive-webhooks/calendly-webhook.controller';
import { ChangeNotifications } from './features/receive-webhooks/change-notifications';
import { GoogleWebhookController } from './features/receive-webhooks/google-webhook.controller';
import { MicrosoftWebhookController } from './features/receive-webhooks/microsoft-webhook.controller';
import { PushSecrets } from './features/receive-webhooks/push-secrets';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig<ConnectorConfig>, clock: Clock): DynamicModule {
    // Consumers are defined before Nest makes the store; they reach it through this, once it exists.
    let eventStore: EventStore | undefined;
    const google = googleClientConfig(config);
    const microsoft = microsoftClientConfig(config);
    const store = () => {
      if (!eventStore) throw new Error('event store not ready');
      return eventStore;
    };
    // The providers with push, once the registry exists.
    let registry: ProviderRegistry | undefined;
    const pushProviders = () =>
      providers.filter((p) => registry?.has(p) && registry.get(p).subscribe !== undefined);
    return {
      module: AppModule,
      imports: [
        ...serviceModules('connector', config, {
          context: 'connector',
          clock,
          reads: ['sync'],
          migrations: connectorMigrations,
          consumers: [reauthConsumer(store), pushSubscriptionsConsumer(pushProviders)],
        }),
        TypeOrmModule.forFeature([
          ConnectionRecord,
          ConnectionCalendarRecord,
          PushSubscriptionRecord,
        ]),
      ],
      controllers: [
        ConnectCalendarController,
        ViewConnectionsController,
        ConfigureCalendarController,
        DisconnectController,
        OAuthCallbackController,
        MicrosoftOAuthCallbackController,
        GoogleWebhookController,
        MicrosoftWebhookController,
        CalendlyWebhookController,
      ],
      providers: [
        {
          provide: CredentialCipher,
          useFactory: () => new CredentialCipher(parseCredentialKeys(config.CREDENTIALS_KEYS)),
        },
        ConnectionStore,
        {
          provide: ConnectionCommands,
          useFactory: (events: EventStore) => {
            eventStore = events;
            return new ConnectionCommands(events);
          },
          inject: [EventStore],
        },
        {
          provide: ProviderRegistry,
          useFactory: (pool: Pool) =>
            (registry = new ProviderRegistry([
              new CalDavProvider({
                timeoutMs: config.PROVIDER_TIMEOUT_MS,
                connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
                allowPrivateAddresses: config.CALDAV_ALLOW_PRIVATE_ADDRESSES,
              }),
              new IcsProvider(
                {
                  maxBytes: config.ICS_MAX_BYTES,
                  timeoutMs: config.ICS_TIMEOUT_MS,
                  connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
                  maxRedirects: 5,
                  allowPrivateAddresses: config.ICS_ALLOW_PRIVATE_ADDRESSES,
                },
                new PgFeedItemStore(pool),
              ),
              ...(google
                ? [
                    new GoogleProvider(
                      google,
                      new ProviderItemStore(pool),
                      clock,
                      config.PUSH_CHANNEL_TTL_MS,
                    ),
                  ]
                : []),
              ...(microsoft
                ? [new MicrosoftProvider(microsoft, new ProviderItemStore(pool), clock)]
                : []),
              new CalendlyProvider(
                new CalendlyApi({
                  apiRoot: config.CALENDLY_API_ROOT,
                  timeoutMs: config.PROVIDER_TIMEOUT_MS,
                  connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
                }),
                new CalendlyItemStore(pool),
              ),
            ])),
          inject: [PG_POOL],
        },
        { provide: PUSH_CONFIG, useValue: pushConfig(config) },
        PushSubscriptionStore,
        {
          provide: CalendlyItemStore,
          useFactory: (pool: Pool) => new CalendlyItemStore(pool),
          inject: [PG_POOL],
        },
        SubscriptionManager,
        ChangeNotifications,
        PushSecrets,
        { provide: GOOGLE_CLIENT_CONFIG, useValue: google },
        { provide: MICROSOFT_CLIENT_CONFIG, useValue: microsoft },
        {
          provide: OAuthStates,
          useFactory: (pool: Pool, cipher: CredentialCipher) =>
            new OAuthStates(
              pool,
              cipher,
              [...parseCredentialKeys(config.CREDENTIALS_KEYS).values()][0]!,
              config.OAUTH_STATE_TTL_MS,
            ),
          inject: [PG_POOL, CredentialCipher],
        },
        { provide: GoogleTokens, useValue: new GoogleTokens(google) },
        { provide: MicrosoftTokens, useValue: new MicrosoftTokens(microsoft) },
        {
          provide: FreshCredentials,
          useFactory: (connections: ConnectionStore, g: GoogleTokens, m: MicrosoftTokens) =>
            new FreshCredentials(connections, [g, m], clock),
          inject: [ConnectionStore, GoogleTokens, MicrosoftTokens],
        },
        ConnectCalendarHandler,
        PendingAuthorizations,
        StartGoogleAuthorization,
        StartMicrosoftAuthorization,
        CompleteAuthorizationHandler,
        SyncRequestResponder,
        {
          provide: RotateCredentialsOnStart,
          useFactory: (pool: Pool, cipher: CredentialCipher) =>
            new RotateCredentialsOnStart(pool, cipher, [connectionSecrets, pushSecrets]),
          inject: [PG_POOL, CredentialCipher],
        },
      ],
    };
  }
}
