import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type AvailabilityConfig, configSchema } from './config';

export const availabilityService: ServiceDefinition<AvailabilityConfig> = {
  service: 'availability',
  defaultPort: 3103,
  configSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
