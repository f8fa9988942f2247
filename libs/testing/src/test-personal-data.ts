import { randomBytes } from 'node:crypto';

/** One master key per test process: every service of a test shares the key store it seals. */
const TEST_PERSONAL_DATA_KEYS = `k1:${randomBytes(32).toString('base64')}`;

/**
 * The personal-data settings of a booking or notification service under test: the key store
 * lives in `schema` (the test file's own), so it is dropped with it.
 */
export const testPersonalDataEnv = (schema: string): Record<string, string> => ({
  PERSONAL_DATA_KEYS: TEST_PERSONAL_DATA_KEYS,
  PERSONAL_DATA_SCHEMA: schema,
});
