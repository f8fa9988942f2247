import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { serviceConfigSchema } from '../bootstrap/service-definition';
import { baseConfigSchema } from './base-config';
import { ConfigError, loadConfig } from './load-config';

const SECRET = 'a-local-secret-of-at-least-32-chars!';
const booking = () => baseConfigSchema('booking', 3104);

function errorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default from the service definition', () => {
    expect(loadConfig(booking(), { AUTH_JWT_SECRET: SECRET })).toEqual({
      PORT: 3104,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/careservice',
      DB_SCHEMA: 'booking',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_PREFIX: '',
      NATS_REPLICAS: 1,
      NATS_DUPLICATE_WINDOW_MS: 120_000,
      NATS_ACK_WAIT_MS: 5_000,
      NATS_PUBLISH_TIMEOUT_MS: 2_000,
      NATS_STORAGE: 'file',
      PROJECTION_EPOCH: 0,
      DB_POOL_SIZE: 10,
      AUTH_JWT_SECRET: SECRET,
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: 86_400,
      RATE_LIMIT_PER_SECOND: 200,
      RATE_LIMIT_BURST: 2_000,
      WEBHOOK_RATE_LIMIT_PER_SECOND: 200,
      WEBHOOK_RATE_LIMIT_BURST: 2_000,
      RATE_LIMIT_LEASE: 20,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      CONSISTENCY_WAIT_MS: 2_000,
    });
  });

  it('reads numbers from strings and takes overrides', () => {
    const config = loadConfig(booking(), {
      AUTH_JWT_SECRET: SECRET,
      PORT: '4000',
      NATS_REPLICAS: '3',
      DB_SCHEMA: 'booking_test',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      PORT: 4000,
      NATS_REPLICAS: 3,
      DB_SCHEMA: 'booking_test',
      LOG_LEVEL: 'debug',
    });
  });

  it('names the missing secret and the way out', () => {
    expect(() => loadConfig(booking(), {})).toThrow(
      'Invalid configuration: AUTH_JWT_SECRET: required (or set AUTH_JWKS_URL)',
    );
  });

  it('accepts a JWKS URL instead of a secret, with the audience and issuer it needs', () => {
    const jwks = { AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json' };
    expect(() => loadConfig(booking(), jwks)).toThrow(
      'Invalid configuration: AUTH_JWT_AUDIENCE: required when AUTH_JWKS_URL is set; AUTH_JWT_ISSUER: required when AUTH_JWKS_URL is set',
    );
    const config = loadConfig(booking(), {
      ...jwks,
      AUTH_JWT_AUDIENCE: 'careservice-calendar',
      AUTH_JWT_ISSUER: 'https://id.example/',
    });
    expect(config.AUTH_JWT_SECRET).toBeUndefined();
    expect(config.AUTH_JWKS_URL).toBe('https://id.example/.well-known/jwks.json');
  });

  it('names every bad variable at once, with the reason', () => {
    const error = errorOf(() =>
      loadConfig(booking(), {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db/app',
        AUTH_JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
        NATS_REPLICAS: '0',
      }),
    );
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'PORT: must be a number',
        'DATABASE_URL: must be a postgres:// URL',
        'AUTH_JWT_SECRET: must be at least 32 characters',
        expect.stringMatching(/^LOG_LEVEL: must be one of fatal, error/),
        'NATS_REPLICAS: must be at least 1',
      ]),
    );
    expect(error.problems).toHaveLength(5);
    for (const variable of [
      'PORT',
      'DATABASE_URL',
      'AUTH_JWT_SECRET',
      'LOG_LEVEL',
      'NATS_REPLICAS',
    ]) {
      expect(error.message).toContain(`${variable}: `);
    }
  });

  it('takes a projection epoch of 0 or more, a whole number', () => {
    const epoch = (value: string) => () =>
      loadConfig(booking(), { AUTH_JWT_SECRET: SECRET, PROJECTION_EPOCH: value });
    expect(epoch('2')()).toMatchObject({ PROJECTION_EPOCH: 2 });
    expect(epoch('-1')).toThrow('PROJECTION_EPOCH: must be at least 0');
    expect(epoch('1.5')).toThrow('PROJECTION_EPOCH: must be an integer');
  });

  it('reports the missing secret even when other variables are bad too', () => {
    const error = errorOf(() => loadConfig(booking(), { PORT: '70000' }));
    expect(error.problems).toEqual([
      'PORT: must be at most 65535',
      'AUTH_JWT_SECRET: required (or set AUTH_JWKS_URL)',
    ]);
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig(booking(), { AUTH_JWT_SECRET: SECRET, PORT: '', AUTH_JWKS_URL: ' ' });
    expect(config.PORT).toBe(3104);
    expect(config.AUTH_JWKS_URL).toBeUndefined();
  });

  it('adds a service’s own variables and reports them with the base ones', () => {
    const schema = serviceConfigSchema({
      service: 'connector',
      defaultPort: 3101,
      configSchema: z.object({ GOOGLE_CLIENT_ID: z.string() }),
      appModule: () => class {},
    });
    const error = errorOf(() => loadConfig(schema, {}));
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'GOOGLE_CLIENT_ID: required',
        'AUTH_JWT_SECRET: required (or set AUTH_JWKS_URL)',
      ]),
    );
    const config = loadConfig(schema, { AUTH_JWT_SECRET: SECRET, GOOGLE_CLIENT_ID: 'g-1' });
    expect(config).toMatchObject({ PORT: 3101, DB_SCHEMA: 'connector', GOOGLE_CLIENT_ID: 'g-1' });
  });
});
