import { DATABASE_URL, NATS_URL } from '../../libs/testing/src/infrastructure';
import { testPersonalDataEnv } from '../../libs/testing/src/test-personal-data';

/** A bench's one caller asks far more often than any real one: the limiter runs, never refuses. */
export const UNLIMITED_CALLER = { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000' };

/**
 * What a service started by a bench runs with: its port, schema and bus prefix, the bench's
 * secret, and a key store in its schema.
 */
export function serviceEnv(options: {
  port: number;
  schema: string;
  prefix: string;
  secret: string;
}): Record<string, string> {
  return {
    PORT: String(options.port),
    DATABASE_URL,
    NATS_URL,
    DB_SCHEMA: options.schema,
    NATS_PREFIX: options.prefix,
    AUTH_JWT_SECRET: options.secret,
    ...testPersonalDataEnv(options.schema),
    ...UNLIMITED_CALLER,
    LOG_LEVEL: 'warn',
  };
}
