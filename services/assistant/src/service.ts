import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type AssistantConfig, assistantConfigSchema } from './config';

export const assistantService: ServiceDefinition<AssistantConfig> = {
  service: 'assistant',
  defaultPort: 3106,
  configSchema: assistantConfigSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
