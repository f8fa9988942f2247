import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '../config/load-config';
import { startTracing } from '../tracing/start-tracing';
import { buildServiceApp } from './create-service-app';
import { exitIfShutdownStalls, flushOnShutdownSignal } from './graceful-shutdown';
import { serviceConfigSchema, type ServiceDefinition } from './service-definition';

function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * A service's `main.ts` (which imports `@cs/platform/instrument` first): validated config,
 * tracing, then the app listening on 0.0.0.0:PORT.
 */
export async function bootstrapService<TExtra extends object>(
  definition: ServiceDefinition<TExtra>,
): Promise<NestExpressApplication> {
  let config;
  try {
    config = loadConfig(serviceConfigSchema(definition), process.env);
  } catch (error) {
    // The message already names every bad variable; a stack would only bury it.
    if (error instanceof ConfigError) die(error.message);
    throw error;
  }

  const tracing = startTracing(definition.service, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  try {
    const app = await buildServiceApp(definition, config);
    const logger = app.get(Logger);
    app.enableShutdownHooks();
    exitIfShutdownStalls(config.SHUTDOWN_TIMEOUT_MS, logger);
    // Beside Nest's own signal handlers (a lone listener would keep the process from ending).
    flushOnShutdownSignal(() => tracing.flush());
    await app.listen(config.PORT, '0.0.0.0');
    logger.log(`${definition.service} listening on http://0.0.0.0:${config.PORT}`, 'Bootstrap');
    return app;
  } catch (error) {
    die(`${definition.service} failed to start: ${error instanceof Error ? error.stack : error}`);
  }
}
