import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CLOCK, type Clock, PG_POOL } from '@cs/eventing';
import { type Request } from 'express';
import { type Pool } from 'pg';
import { principalOf } from '../auth/principal';
import { IS_PUBLIC } from '../auth/public.decorator';
import { type BaseConfig } from '../config/base-config';
import { CONFIG } from '../config/config.token';
import { ProblemException } from '../errors/problem';
import { type Admission, LeasedLimiter } from './leased-limiter';
import { LocalBuckets } from './local-buckets';
import { SharedBuckets } from './shared-buckets';
import { deferSharedAdmission, VERIFIES_FIRST } from './verify-first';

// Probes and scrapes must answer even when a caller is being held back.
const EXEMPT = /^\/(health|metrics|docs)(\/|-json|$)/;

function tooMany(retryAfterSeconds: number, detail: string): ProblemException {
  return new ProblemException({
    status: 429,
    type: 'too-many-requests',
    detail,
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
  });
}

/**
 * Limits each caller: a token's subject on authenticated routes, the source address on public
 * ones (webhooks, callbacks). Runs after the auth guard, which names the subject.
 */
@Injectable()
export class CallerLimitGuard implements CanActivate {
  private readonly subjects: LeasedLimiter;
  private readonly addresses: LeasedLimiter;
  private readonly addressesHere: LocalBuckets;

  constructor(
    private readonly reflector: Reflector,
    @Inject(PG_POOL) pool: Pool,
    @Inject(CONFIG) config: BaseConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    const shared = new SharedBuckets(pool);
    const lease = config.RATE_LIMIT_LEASE;
    this.subjects = new LeasedLimiter(
      shared,
      { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST },
      lease,
      clock,
    );
    const webhook = {
      perSecond: config.WEBHOOK_RATE_LIMIT_PER_SECOND,
      burst: config.WEBHOOK_RATE_LIMIT_BURST,
    };
    this.addresses = new LeasedLimiter(shared, webhook, lease, clock);
    this.addressesHere = new LocalBuckets(webhook, clock);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (EXEMPT.test(req.path)) return true;
    const principal = principalOf(req);
    const targets = [context.getHandler(), context.getClass()];
    if (principal && !this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      this.refuse(await this.subjects.admit(`sub:${principal.sub}`), 'this caller');
      return true;
    }
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = this.addressesHere.take(address);
    if (wait > 0) throw tooMany(wait, 'Too many requests from this address; slow down.');
    const admit = () => this.addresses.admit(`addr:${address}`);
    if (this.reflector.getAllAndOverride<boolean>(VERIFIES_FIRST, targets)) {
      deferSharedAdmission(req, admit, (admission) => this.refuse(admission, 'this address'));
      return true;
    }
    this.refuse(await admit(), 'this address');
    return true;
  }

  private refuse(admission: Admission, who: string): void {
    if (!admission.admitted) {
      throw tooMany(admission.retryAfterSeconds, `Too many requests from ${who}; slow down.`);
    }
  }
}
