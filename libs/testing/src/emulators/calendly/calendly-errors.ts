import type { EmulatorReply } from '../shared/emulator-server';

/**
 * An error as Calendly's API v2 sends it: `{ title, message, details? }` (the error responses
 * of https://developer.calendly.com/api-docs/calendly-api/webhooks/get-webhook-subscription).
 */
export class CalendlyApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly details: Array<{ parameter: string; message: string }> = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  reply(): EmulatorReply {
    const { status, title, message, details } = this;
    return {
      status,
      headers: this.headers,
      body: { title, message, ...(details.length > 0 ? { details } : {}) },
    };
  }
}

export const unauthenticated = () =>
  new CalendlyApiError(401, 'Unauthenticated', 'The access token is invalid');

export const notFound = () =>
  new CalendlyApiError(
    404,
    'Resource Not Found',
    'The server could not find the requested resource.',
  );

export const invalidArgument = (parameter: string, message: string) =>
  new CalendlyApiError(400, 'Invalid Argument', 'The supplied parameters are invalid.', [
    { parameter, message },
  ]);

export function injectedError(status: number, retryAfter?: number): CalendlyApiError {
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  if (status === 429)
    return new CalendlyApiError(429, 'Too Many Requests', 'Rate limit exceeded', [], headers);
  return new CalendlyApiError(status, 'Internal Server Error', 'Something went wrong', [], headers);
}
