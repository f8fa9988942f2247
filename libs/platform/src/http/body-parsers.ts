import { type IncomingMessage } from 'node:http';
import { json, type RequestHandler, urlencoded } from 'express';

// Webhook signatures are computed over the exact bytes received, so they are kept as
// `rawBody`, the property Nest's own `RawBodyRequest` type names.
function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}

/**
 * Parsed inside the platform's middleware chain rather than by Nest up front, so a malformed
 * body is still logged and answered within the request's context.
 */
export function bodyParsers(): RequestHandler[] {
  return [json({ verify: keepRawBody }), urlencoded({ extended: true, verify: keepRawBody })];
}
