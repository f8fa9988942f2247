import { NestFactory } from '@nestjs/core';
import { type Clock, systemClock } from '@cs/eventing';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '../config/load-config';
import { enableCors } from '../http/cors';
import { setupOpenApi } from '../openapi/setup-openapi';
import {
  type ServiceConfig,
  serviceConfigSchema,
  type ServiceDefinition,
} from './service-definition';

function platformLogger(app: NestExpressApplication, service: string): Logger {
  try {
    return app.get(Logger);
  } catch {
    throw new Error(`${service}: the app module must import PlatformModule.forRoot({ ... })`);
  }
}

/** Builds the app with logging and docs attached; listening is left to the caller. */
export async function buildServiceApp<TExtra extends object>(
  definition: ServiceDefinition<TExtra>,
  config: ServiceConfig<TExtra>,
  clock: Clock = systemClock,
): Promise<NestExpressApplication> {
  const appModule = definition.appModule(config, clock);
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    // Fail with an error the caller can handle, not a process.exit deep inside Nest.
    abortOnError: false,
    // PlatformModule parses bodies inside its own middleware chain.
    bodyParser: false,
  });
  app.useLogger(platformLogger(app, definition.service));
  // Nest would hold buffered lines until `listen`, which an app under test never calls.
  app.flushLogs();
  enableCors(app, config.CORS_ORIGINS);
  setupOpenApi(app, definition.service);
  return app;
}

/**
 * The service as `bootstrapService` runs it, initialised but not listening: give
 * `app.getHttpServer()` to supertest. Throws `ConfigError` when `env` is incomplete.
 * `options.clock` replaces the machine's clock (e.g. `ManualClock` from `@cs/testing`).
 */
export async function createServiceApp<TExtra extends object>(
  definition: ServiceDefinition<TExtra>,
  env: Record<string, string | undefined> = process.env,
  options: { clock?: Clock } = {},
): Promise<NestExpressApplication> {
  const config = loadConfig(serviceConfigSchema(definition), env);
  const app = await buildServiceApp(definition, config, options.clock);
  return app.init();
}
