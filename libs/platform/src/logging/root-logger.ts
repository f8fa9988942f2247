import { hostname } from 'node:os';
import { currentContext } from '@cs/eventing';
import {
  type DestinationStream,
  destination,
  type LevelWithSilent,
  type Logger,
  pino,
  stdTimeFunctions,
} from 'pino';

const SECRET_KEYS = ['password', 'accessToken', 'refreshToken', 'token', 'secret'];

// pino's wildcards match exactly one level, so each secret is listed at the depths it is
// likely to appear: top level, in a logged object, and one object further in.
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/** JSON lines tagged with the service and, inside a request or a message, its correlation id. */
export function createRootLogger(
  service: string,
  level: LevelWithSilent,
  stream?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid, hostname: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const context = currentContext();
        return context ? { correlationId: context.correlationId } : {};
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    stream ?? destination(1),
  );
}
