import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { bootstrapService, PlatformModule } from '../../src';
import { TestInfrastructureModule } from './infrastructure.module';

/** Stands for a consumer that never finishes draining, when the test asks for one. */
@Injectable()
class StuckOnShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> | void {
    if (process.env.FIXTURE_STALL_SHUTDOWN === '1') return new Promise<void>(() => undefined);
  }
}

// Run as a real process by bootstrap.e2e.spec.ts: a service's main.ts in miniature.
void bootstrapService({
  service: 'fixture',
  defaultPort: 3998,
  appModule: (config) => ({
    module: class FixtureModule {},
    imports: [
      PlatformModule.forRoot({ service: 'fixture', config }),
      TestInfrastructureModule.forRoot(),
    ],
    providers: [StuckOnShutdown],
  }),
});
