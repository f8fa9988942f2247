import { DATABASE_URL, NATS_URL, TEST_JWT_SECRET, type TestContext } from '@cs/testing';

/** The connector's settings on this test context: its schema and prefix, quiet logs, these keys. */
export const connectorEnv = (ctx: TestContext, keys: string) => ({
  DATABASE_URL,
  NATS_URL,
  DB_SCHEMA: ctx.schema,
  NATS_PREFIX: ctx.prefix,
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'silent',
  CREDENTIALS_KEYS: keys,
});
