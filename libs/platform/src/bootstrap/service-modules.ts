import { type DynamicModule } from '@nestjs/common';
import {
  type Clock,
  databaseModule,
  EventingModule,
  type EventingModuleOptions,
  type AnyMigration,
} from '@cs/eventing';
import { type BaseConfig } from '../config/base-config';
import { AuditController } from '../audit/audit.controller';
import { PlatformModule } from '../platform.module';

class AuditModule {}

export type ServiceEventing = Pick<
  EventingModuleOptions,
  'context' | 'reads' | 'projections' | 'consumers'
> & { clock: Clock; migrations?: readonly AnyMigration[] };

/** The modules every service starts with, configured from its validated environment. */
export function serviceModules(
  service: string,
  config: BaseConfig,
  { migrations, ...eventing }: ServiceEventing,
): DynamicModule[] {
  return [
    { module: AuditModule, controllers: [AuditController] },
    PlatformModule.forRoot({ service, config }),
    databaseModule({
      databaseUrl: config.DATABASE_URL,
      schema: config.DB_SCHEMA,
      max: config.DB_POOL_SIZE,
      migrations,
    }),
    EventingModule.forRoot({
      ...eventing,
      databaseUrl: config.DATABASE_URL,
      schema: config.DB_SCHEMA,
      natsUrl: config.NATS_URL,
      natsPrefix: config.NATS_PREFIX,
      replicas: config.NATS_REPLICAS,
      duplicateWindowMs: config.NATS_DUPLICATE_WINDOW_MS,
      storage: config.NATS_STORAGE,
      ackWaitMs: config.NATS_ACK_WAIT_MS,
      publishTimeoutMs: config.NATS_PUBLISH_TIMEOUT_MS,
      projectionEpoch: config.PROJECTION_EPOCH,
    }),
  ];
}
