import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CONSISTENCY_TOKEN_HEADER, encodeConsistencyToken } from './consistency-token';
import { collectWritten } from './written-positions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Gives a command's answer the `Consistency-Token` of what it committed (nothing if it wrote
 * nothing or failed). A middleware, not an interceptor: one interceptor on a route sends each of
 * its requests through Nest's RxJS chain and `AsyncResource.bind` (ADR 0016).
 */
@Injectable()
export class ConsistencyTokenMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    // Reads run no commands: they need no collector in their async context.
    if (SAFE_METHODS.has(req.method)) return next();
    const { written } = collectWritten(next);
    beforeHeaders(res, () => {
      if (written.length === 0 || res.statusCode >= 400) return;
      const token = encodeConsistencyToken(written);
      if (token !== undefined) res.setHeader(CONSISTENCY_TOKEN_HEADER, token);
    });
  }
}

/** Every answer's headers leave through `writeHead`, called by Node itself when not by us. */
function beforeHeaders(res: Response, listener: () => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    res.writeHead = writeHead;
    listener();
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
}
