import type { INestApplication } from '@nestjs/common';
import { createServiceApp, type ServiceDefinition } from '@cs/platform';
import { createTestContext, DATABASE_URL, TEST_JWT_SECRET, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { availabilityService } from '../../services/availability/src/service';
import { bookingService } from '../../services/booking/src/service';
import { connectorService } from '../../services/connector/src/service';
import { notificationService } from '../../services/notification/src/service';
import { syncService } from '../../services/sync/src/service';
import { generateDocs } from '../../scripts/docs/generate-docs';
import { stableJson } from '../../scripts/docs/stable-json';

const SERVICES = ['connector', 'sync', 'availability', 'booking', 'notification'];

/** The generator builds documents without a database; here each is compared with what a running service serves. */
describe('docs/api/openapi matches /docs-json of the running services', () => {
  let ctx: TestContext;
  let generated: Map<string, string>;
  beforeAll(async () => {
    ctx = await createTestContext();
    generated = await generateDocs();
  });
  afterAll(async () => {
    if (!ctx) return;
    for (const service of SERVICES) {
      await ctx.pool.query(`DROP SCHEMA IF EXISTS "${ctx.schema}_${service}" CASCADE`);
    }
    await ctx.pool.query(`DROP SCHEMA IF EXISTS "${ctx.schema}_people" CASCADE`);
    await ctx.cleanup();
  });

  async function served<TExtra extends object>(definition: ServiceDefinition<TExtra>) {
    const app: INestApplication = await createServiceApp(definition, {
      DATABASE_URL,
      NATS_URL: ctx.natsUrl,
      DB_SCHEMA: `${ctx.schema}_${definition.service}`,
      NATS_PREFIX: ctx.prefix,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      CREDENTIALS_KEYS: `test:${Buffer.alloc(32, 7).toString('base64')}`,
      PERSONAL_DATA_KEYS: `test:${Buffer.alloc(32, 8).toString('base64')}`,
      // The key store of this file's own, not the shared default one other runs sealed.
      PERSONAL_DATA_SCHEMA: `${ctx.schema}_people`,
      LOG_LEVEL: 'silent',
    });
    try {
      const response = await request(app.getHttpServer()).get('/docs-json').expect(200);
      return stableJson(response.body);
    } finally {
      await app.close();
    }
  }

  it.each([
    ['connector', () => served(connectorService)],
    ['sync', () => served(syncService)],
    ['availability', () => served(availabilityService)],
    ['booking', () => served(bookingService)],
    ['notification', () => served(notificationService)],
  ])('%s', async (service, serve) => {
    expect(await serve()).toBe(generated.get(`docs/api/openapi/${service}.json`));
  });
});
