import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { CONSISTENCY_TOKEN_HEADER, encodeConsistencyToken } from './consistency-token';
import { collectWritten } from './written-positions';

/** Gives a command's answer the `Consistency-Token` of what it committed (nothing if it wrote nothing). */
@Injectable()
export class ConsistencyTokenInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    const { result, written } = collectWritten(() => next.handle());
    return result.pipe(
      tap(() => {
        if (written.length === 0 || response.headersSent) return;
        const token = encodeConsistencyToken(written);
        if (token !== undefined) response.setHeader(CONSISTENCY_TOKEN_HEADER, token);
      }),
    );
  }
}
