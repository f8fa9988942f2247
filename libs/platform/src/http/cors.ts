import { type INestApplication } from '@nestjs/common';
import { z } from 'zod';
import {
  CONSISTENCY_TOKEN_HEADER,
  IF_CONSISTENT_WITH_HEADER,
} from '../consistency/consistency-token';
import { CORRELATION_HEADER } from '../context/correlation-id';

/** One web origin exactly as a browser sends it: scheme, host and port, nothing more. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * `CORS_ORIGINS`: comma-separated origins (`http://localhost:3103,https://app.example`) whose
 * pages may call this service from a browser. Unset means none; there is no wildcard, since
 * every call carries a bearer token.
 */
export const corsOrigins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine(
    (origins) => origins.every(isOrigin),
    'must be comma-separated origins such as http://localhost:3103 (scheme, host, port; no path)',
  );

/** Answers preflights and marks responses for the listed origins only; call before `init()`. */
export function enableCors(app: INestApplication, origins: readonly string[] | undefined): void {
  if (!origins?.length) return;
  app.enableCors({
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'Idempotency-Key',
      'If-Match',
      IF_CONSISTENT_WITH_HEADER,
      'Last-Event-ID',
      CORRELATION_HEADER,
    ],
    exposedHeaders: [
      'ETag',
      'Location',
      'Retry-After',
      CORRELATION_HEADER,
      CONSISTENCY_TOKEN_HEADER,
    ],
    maxAge: 600,
  });
}
