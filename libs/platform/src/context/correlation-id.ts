import { type IncomingMessage } from 'node:http';
import { v7 as uuidv7 } from 'uuid';

export const CORRELATION_HEADER = 'X-Correlation-Id';

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

// Both the request logger and the context middleware ask for the id; caching by request
// keeps them in agreement whichever runs first.
const assigned = new WeakMap<IncomingMessage, string>();

/** The caller's correlation id when it is safe to log and forward, otherwise a fresh UUIDv7. */
export function correlationIdFor(req: IncomingMessage): string {
  let id = assigned.get(req);
  if (id === undefined) {
    const offered = req.headers[CORRELATION_HEADER.toLowerCase()];
    id = typeof offered === 'string' && VALID.test(offered) ? offered : uuidv7();
    assigned.set(req, id);
  }
  return id;
}
