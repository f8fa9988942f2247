import { z } from 'zod';
import { corsOrigins } from '../http/cors';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const rate = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .min(0, 'must be at least 0 (0 turns the limit off)');

const postgresUrl = z.string().refine((value) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres:// URL');

const natsServers = z
  .string()
  .min(1, 'must not be empty')
  .refine(
    (value) =>
      value.split(',').every((server) => /^(nats|tls|wss?):\/\/[^\s,]+$/.test(server.trim())),
    'must be one or more comma-separated nats:// (or tls://, ws://, wss://) URLs',
  );

function serviceShape(service: string, defaultPort: number) {
  return {
    PORT: integer(1, 65_535).default(defaultPort),
    DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/careservice'),
    DB_POOL_SIZE: integer(2, 200).default(10),
    DB_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .default(service),
    NATS_URL: natsServers.default('nats://127.0.0.1:4222'),
    NATS_PREFIX: z.string().default(''),
    NATS_REPLICAS: integer(1, 5).default(1),
    NATS_DUPLICATE_WINDOW_MS: integer(1).default(120_000),
    NATS_ACK_WAIT_MS: integer(1_000, 600_000).default(5_000),
    NATS_PUBLISH_TIMEOUT_MS: integer(100, 60_000).default(2_000),
    NATS_STORAGE: z.enum(['file', 'memory'], { message: 'must be file or memory' }).default('file'),
    PROJECTION_EPOCH: integer(0).default(0),
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWKS_URL: z.string().url('must be a URL').optional(),
    AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
    AUTH_JWT_ISSUER: z.string().min(1).optional(),
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: integer(60).default(86_400),
    RATE_LIMIT_PER_SECOND: rate.default(200),
    RATE_LIMIT_BURST: integer(1).default(2_000),
    WEBHOOK_RATE_LIMIT_PER_SECOND: rate.default(200),
    WEBHOOK_RATE_LIMIT_BURST: integer(1).default(2_000),
    RATE_LIMIT_LEASE: integer(1).default(20),
    LOG_LEVEL: z
      .enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
      .default('info'),
    SHUTDOWN_TIMEOUT_MS: integer(0).default(10_000),
    CORS_ORIGINS: corsOrigins.optional(),
    CONSISTENCY_WAIT_MS: integer(0, 60_000).default(2_000),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url('must be a URL').optional(),
  };
}

export type BaseConfig = z.infer<z.ZodObject<ReturnType<typeof serviceShape>>>;

// Kept apart from the main object and joined by an intersection: a refinement on the object
// itself would be skipped whenever another variable is bad, and the error must name them all.
const authKeyRule = z
  .object({
    AUTH_JWT_SECRET: z.string().optional(),
    AUTH_JWKS_URL: z.string().optional(),
    AUTH_JWT_AUDIENCE: z.string().optional(),
    AUTH_JWT_ISSUER: z.string().optional(),
  })
  .superRefine((auth, ctx) => {
    if (auth.AUTH_JWT_SECRET === undefined && auth.AUTH_JWKS_URL === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['AUTH_JWT_SECRET'],
        message: 'required (or set AUTH_JWKS_URL)',
      });
    }
    // A shared identity provider signs tokens for other applications too: with its key set,
    // only the audience and issuer tell ours apart.
    if (auth.AUTH_JWKS_URL === undefined) return;
    for (const name of ['AUTH_JWT_AUDIENCE', 'AUTH_JWT_ISSUER'] as const) {
      if (auth[name] === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message: 'required when AUTH_JWKS_URL is set',
        });
      }
    }
  });

/**
 * The variables every service reads. Extend it with `.and(z.object({ ... }))` (not `.extend`)
 * so every bad variable is still reported together.
 */
export function baseConfigSchema(
  service: string,
  defaultPort: number,
): z.ZodType<BaseConfig, z.ZodTypeDef, unknown> {
  return z.object(serviceShape(service, defaultPort)).and(authKeyRule);
}
