import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type NotificationConfig, configSchema } from './config';

export const notificationService: ServiceDefinition<NotificationConfig> = {
  service: 'notification',
  defaultPort: 3105,
  configSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
