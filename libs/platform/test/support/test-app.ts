import { Module } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Writable } from 'node:stream';
import { createServiceApp, PlatformModule } from '../../src';
import { type InfrastructureOptions, TestInfrastructureModule } from './infrastructure.module';
import { ProbeController } from './probe.controller';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256';
export const OTHER_SECRET = 'another-secret-that-is-long-enough-for-hs256';

@Module({ controllers: [ProbeController] })
class ProbeModule {}

export interface TestApp {
  app: NestExpressApplication;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startTestApp(
  infrastructure: InfrastructureOptions = {},
  env: Record<string, string> = {},
): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = await createServiceApp(
    {
      service: 'probe',
      defaultPort: 3999,
      appModule: (config) => ({
        module: ProbeModule,
        imports: [
          PlatformModule.forRoot({ service: 'probe', config, logStream }),
          TestInfrastructureModule.forRoot(infrastructure),
        ],
      }),
    },
    { AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'debug', ...env },
  );
  return { app, logs, close: () => app.close() };
}
