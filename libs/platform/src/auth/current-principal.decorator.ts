import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { type Principal, principalOf } from './principal';
import { unauthorized } from './auth-problems';

/** Injects the verified caller; on a `@Public()` route there is none, which is a 401. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = principalOf(ctx.switchToHttp().getRequest<Request>());
    if (principal === undefined) throw unauthorized('This operation needs a bearer token.');
    return principal;
  },
);
