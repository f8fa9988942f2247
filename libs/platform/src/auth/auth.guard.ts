import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentContext } from '@cs/eventing';
import { type Request } from 'express';
import { actorFor } from '../context/actor';
import { forbidden, unauthorized } from './auth-problems';
import { attachPrincipal, type Principal, type Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLES } from './roles.decorator';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Every route needs a valid bearer token unless it says `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Other transports must bring their own authentication; nothing gets through unchecked.
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticate(req);
    attachPrincipal(req, principal);
    const executionContext = currentContext();
    if (executionContext) executionContext.actor = actorFor(principal);

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (principal.roles.length === 0) throw forbidden('The token grants no role here.');
    if (required && !required.some((role) => principal.roles.includes(role))) {
      throw forbidden(`This operation needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }

  private async authenticate(req: Request): Promise<Principal> {
    const header = req.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) throw unauthorized('A bearer token is required.');
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthorized(`${error.message}.`, true);
      throw error;
    }
  }
}
