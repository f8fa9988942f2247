import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type SyncConfig, syncConfigSchema } from './infrastructure/sync-config';

export const syncService: ServiceDefinition<SyncConfig> = {
  service: 'sync',
  defaultPort: 3102,
  configSchema: syncConfigSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
