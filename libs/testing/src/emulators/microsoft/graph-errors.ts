import { randomUUID } from 'node:crypto';
import type { EmulatorReply } from '../shared/emulator-server';

/**
 * A Graph error: `{ error: { code, message, innerError } }`
 * (https://learn.microsoft.com/en-us/graph/errors).
 */
export class GraphApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  reply(): EmulatorReply {
    return {
      status: this.status,
      headers: this.headers,
      body: {
        error: {
          code: this.code,
          message: this.message,
          innerError: {
            date: new Date().toISOString(),
            'request-id': randomUUID(),
            'client-request-id': randomUUID(),
          },
        },
      },
    };
  }
}

export const itemNotFound = () =>
  new GraphApiError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export const invalidRequest = (message: string) =>
  new GraphApiError(400, 'ErrorInvalidRequest', message);

/** Throttling as https://learn.microsoft.com/en-us/graph/throttling describes it. */
export const throttled = (
  retryAfter: number,
  code = 'TooManyRequests',
  message = 'Too many requests.',
) => new GraphApiError(429, code, message, { 'retry-after': String(retryAfter) });
