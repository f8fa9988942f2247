import type { INestApplication } from '@nestjs/common';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  createTestContext,
  DATABASE_URL,
  NATS_URL,
  TEST_JWT_SECRET,
  type TestContext,
  testPersonalDataEnv,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll } from '@jest/globals';
import { availabilityService } from '../../src/service';
import { territory } from './fixtures';
import { ForeignEvents } from './foreign-events';

export function startAvailability(
  ctx: TestContext,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  return createServiceApp(availabilityService, {
    DATABASE_URL,
    NATS_URL,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...testPersonalDataEnv(ctx.schema),
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export const tokens = async () => ({
  service: await signTestToken(TEST_JWT_SECRET, { sub: 'scheduler', roles: ['service'] }),
  pro: await signTestToken(TEST_JWT_SECRET, { sub: 'u-1', roles: ['pro'], proId: 'pro-1' }),
  client: await signTestToken(TEST_JWT_SECRET, { sub: 'c-9', roles: ['client'], clientId: 'c-9' }),
});

export type Tokens = Awaited<ReturnType<typeof tokens>>;

/** What a test file talks to; filled in before its first test runs. */
export interface AvailabilitySuite {
  ctx: TestContext;
  app: INestApplication;
  auth: Tokens;
  bus: ForeignEvents;
}

interface SuiteOptions {
  env?: Record<string, string>;
  /** Configured first, through the API; Utrecht with the shared fixture unless given. */
  territories?: Record<string, object>;
  pros?: Record<string, object>;
}

/**
 * Gives the calling test file its own schema and bus prefix and a running availability service
 * with these territories and Pros configured; closes both after the file's last test.
 */
export function useAvailabilityApp({
  env = {},
  territories = { 'nl-utrecht': territory },
  pros = {},
}: SuiteOptions = {}): AvailabilitySuite {
  const suite = {} as AvailabilitySuite;
  beforeAll(async () => {
    suite.ctx = await createTestContext({ streams: [] });
    suite.app = await startAvailability(suite.ctx, env);
    suite.auth = await tokens();
    suite.bus = new ForeignEvents(suite.ctx);
    const put = (path: string, body: object) =>
      request(suite.app.getHttpServer())
        .put(path)
        .set('authorization', `Bearer ${suite.auth.service}`)
        .send(body)
        .expect(200);
    for (const [territoryId, body] of Object.entries(territories))
      await put(`/v1/territories/${territoryId}`, body);
    for (const [proId, body] of Object.entries(pros)) await put(`/v1/pros/${proId}`, body);
  });
  afterAll(async () => {
    await suite.app.close();
    await suite.ctx.cleanup();
  });
  return suite;
}
