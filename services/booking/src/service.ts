import { type ServiceDefinition } from '@cs/platform';
import { AppModule } from './app.module';
import { type BookingConfig, bookingConfigSchema } from './infrastructure/booking-config';

export const bookingService: ServiceDefinition<BookingConfig> = {
  service: 'booking',
  defaultPort: 3104,
  configSchema: bookingConfigSchema,
  appModule: (config, clock) => AppModule.forRoot(config, clock),
};
