import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type ExecutionContext, runInContext } from '@cs/eventing';
import { type NextFunction, type Request, type Response } from 'express';
import { ANONYMOUS_ACTOR } from './actor';
import { CORRELATION_HEADER, correlationIdFor } from './correlation-id';

/**
 * Opens the execution context for the rest of the request. Guards run after middleware, so the
 * context starts anonymous and the auth guard fills in the actor on this same object.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const correlationId = correlationIdFor(req);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const context: ExecutionContext = {
      correlationId,
      causationId: null,
      actor: { ...ANONYMOUS_ACTOR },
    };
    runInContext(context, next);
  }
}
