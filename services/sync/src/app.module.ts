import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusNaming } from '@cs/contracts';
import { type Clock, EventStore, NATS_CONNECTION, PG_POOL } from '@cs/eventing';
import { serviceModules, type ServiceConfig } from '@cs/platform';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import { EditPolicyController } from './features/choose-edit-policy/edit-policy.controller';
import { SyncStatusResponder } from './features/answer-sync-status/sync-status-responder';
import { ControlSyncController } from './features/control-sync/control-sync.controller';
import { bookingEventsConsumer } from './features/mirror-bookings/booking-events.consumer';
import { BookingWriter } from './features/mirror-bookings/booking-writer';
import { ProSyncStatusController } from './features/view-pro-sync-status/pro-sync-status.controller';
import { ConflictsController } from './features/resolve-conflicts/conflicts.controller';
import { CalendarSyncer } from './features/sync-calendar/calendar-syncer';
import { SyncScheduler } from './features/sync-calendar/sync-scheduler';
import { trackConnectionsConsumer } from './features/track-connections/track-connections.consumer';
import { DueSignal } from './features/react-to-push/due-signal';
import { reactToPushConsumer } from './features/react-to-push/react-to-push.consumer';
import { CONNECTOR_CLIENT, ConnectorClient } from './infrastructure/connector-client';
import { LimitedConnector } from './infrastructure/limits/limited-connector';
import { ProviderGate } from './infrastructure/limits/provider-gate';
import { EditPolicies } from './infrastructure/edit-policy/edit-policies';
import { SyncPolicy } from './infrastructure/edit-policy/sync-policy.entity';
import { syncMigrations } from './infrastructure/migrations';
import { SYNC_CONFIG, type SyncConfig } from './infrastructure/sync-config';
import { SyncMetrics } from './infrastructure/sync-metrics';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig<SyncConfig>, clock: Clock): DynamicModule {
    // Consumers are defined before Nest makes the store; they reach it through this, once it exists.
    let eventStore: EventStore | undefined;
    const store = () => {
      if (!eventStore) throw new Error('event store not ready');
      return eventStore;
    };
    return {
      module: AppModule,
      imports: [
        ...serviceModules('sync', config, {
          context: 'sync',
          clock,
          reads: ['connector', 'booking'],
          migrations: syncMigrations,
          consumers: [trackConnectionsConsumer(store), bookingEventsConsumer, reactToPushConsumer],
        }),
        TypeOrmModule.forFeature([SyncPolicy]),
      ],
      controllers: [
        ControlSyncController,
        ProSyncStatusController,
        ConflictsController,
        EditPolicyController,
      ],
      providers: [
        { provide: SYNC_CONFIG, useValue: config },
        {
          provide: CONNECTOR_CLIENT,
          useFactory: (nc: NatsConnection, naming: BusNaming, store: EventStore, pool: Pool) => {
            eventStore = store;
            return new LimitedConnector(
              pool,
              new ConnectorClient(nc, naming, config.SYNC_REQUEST_TIMEOUT_MS),
              new ProviderGate(pool, {
                account: {
                  capacity: config.SYNC_ACCOUNT_BURST,
                  perSecond: config.SYNC_ACCOUNT_PER_SECOND,
                },
                provider: {
                  capacity: config.SYNC_PROVIDER_BURST,
                  perSecond: config.SYNC_PROVIDER_PER_SECOND,
                },
                breaker: {
                  threshold: config.SYNC_BREAKER_THRESHOLD,
                  cooldownMs: config.SYNC_BREAKER_COOLDOWN_MS,
                },
              }),
            );
          },
          inject: [NATS_CONNECTION, BusNaming, EventStore, PG_POOL],
        },
        EditPolicies,
        SyncMetrics,
        CalendarSyncer,
        BookingWriter,
        SyncScheduler,
        DueSignal,
        SyncStatusResponder,
      ],
    };
  }
}
