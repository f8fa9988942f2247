import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type OpenAPIObject } from '@nestjs/swagger';
import { systemClock } from '@cs/eventing';
import {
  ConfigError,
  loadConfig,
  openApiDocument,
  serviceConfigSchema,
  type ServiceDefinition,
} from '@cs/platform';
import { availabilityService } from '../../services/availability/src/service';
import { bookingService } from '../../services/booking/src/service';
import { connectorService } from '../../services/connector/src/service';
import { notificationService } from '../../services/notification/src/service';
import { syncService } from '../../services/sync/src/service';

const placeholderKeys = `docs:${Buffer.alloc(32).toString('base64')}`;
// Placeholders for the settings a service refuses to start without; routes depend on none.
const PLACEHOLDER_ENV = {
  AUTH_JWT_SECRET: 'docs-placeholder-not-a-secret-0000',
  CREDENTIALS_KEYS: placeholderKeys,
  PERSONAL_DATA_KEYS: placeholderKeys,
};

function placeholderConfig<TExtra extends object>(definition: ServiceDefinition<TExtra>) {
  try {
    return loadConfig(serviceConfigSchema(definition), PLACEHOLDER_ENV);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new Error(
      `${definition.service}: give PLACEHOLDER_ENV in scripts/docs/openapi-documents.ts a value: ${error.message}`,
    );
  }
}

async function documentOf<TExtra extends object>(
  definition: ServiceDefinition<TExtra>,
): Promise<[string, OpenAPIObject]> {
  const config = placeholderConfig(definition);
  const app = await NestFactory.create(definition.appModule(config, systemClock), {
    preview: true,
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  const document = openApiDocument(app, definition.service);
  await app.close();
  return [definition.service, document];
}

/**
 * Each service's document as `/docs-json` serves it. Nest's preview mode reads the controllers
 * without constructing a provider, so neither PostgreSQL nor NATS is touched.
 */
export async function openApiDocuments(): Promise<Map<string, OpenAPIObject>> {
  return new Map([
    await documentOf(connectorService),
    await documentOf(syncService),
    await documentOf(availabilityService),
    await documentOf(bookingService),
    await documentOf(notificationService),
  ]);
}
