import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

/** The document a service serves; `npm run docs:generate` writes the same one to docs/api/openapi/. */
export function openApiDocument(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`CareService Calendar — ${service}`)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves the UI at `/docs` and the document at `/docs-json`. Call before `init()`: afterwards
 * Nest's catch-all 404 handler is already in front of any route added.
 */
export function setupOpenApi(app: INestApplication, service: string): void {
  const document = openApiDocument(app, service);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
}
