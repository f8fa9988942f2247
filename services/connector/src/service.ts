import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type ConnectorConfig, connectorConfigSchema } from './infrastructure/connector-config';

export const connectorService: ServiceDefinition<ConnectorConfig> = {
  service: 'connector',
  defaultPort: 3101,
  configSchema: connectorConfigSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
