import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Optional,
  SetMetadata,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { EVENTING_OPTIONS, type EventingModuleOptions, PG_POOL } from '@cs/eventing';
import type { Request } from 'express';
import type { Pool } from 'pg';
import type { BaseConfig } from '../config/base-config';
import { CONFIG } from '../config/config.token';
import { ProblemException, validationProblem } from '../errors/problem';
import {
  CONSISTENCY_TOKEN_HEADER,
  CONSISTENT_WITH_PARAMETER,
  IF_CONSISTENT_WITH_HEADER,
  type WrittenPosition,
  decodeConsistencyToken,
} from './consistency-token';
import { waitUntilApplied } from './wait-until-applied';

export interface ConsistentReadOptions {
  /** The projections the read queries. */
  readonly projections?: ReadonlyArray<{ readonly name: string }>;
  /** The read queries rows written together with the service's own events. */
  readonly ownEvents?: boolean;
}

/**
 * A service's in-memory copy of its read model (availability's schedule cache), brought up to
 * what the database holds before a read that waited for positions.
 */
export interface ReadCache {
  refresh(): Promise<void>;
}
export const READ_CACHE = Symbol('READ_CACHE');

const CONSISTENT_READ = Symbol('CONSISTENT_READ');
const RETRY_AFTER_SECONDS = 1;

const TOKEN_DESCRIPTION = `A \`${CONSISTENCY_TOKEN_HEADER}\` from a command's answer: the read waits (up to CONSISTENCY_WAIT_MS) until it shows that write. Positions of streams this read does not follow are ignored.`;

/**
 * Marks a read that honours `If-Consistent-With` (or `?consistentWith=`): it waits until its
 * sources have applied the positions the token names, answering 503 with `Retry-After` when they
 * cannot within CONSISTENCY_WAIT_MS and 400 when the token is not one.
 */
export function ConsistentRead(options: ConsistentReadOptions) {
  return applyDecorators(
    SetMetadata(CONSISTENT_READ, options),
    UseGuards(ConsistentReadGuard),
    ApiHeader({ name: IF_CONSISTENT_WITH_HEADER, required: false, description: TOKEN_DESCRIPTION }),
    ApiQuery({
      name: CONSISTENT_WITH_PARAMETER,
      required: false,
      type: String,
      description: `The same as the \`${IF_CONSISTENT_WITH_HEADER}\` header, for callers that cannot set one.`,
    }),
    ApiResponse({
      status: 503,
      description:
        'The read model has not applied the token’s writes in time; try again after `Retry-After`.',
    }),
  );
}

/**
 * A guard rather than an interceptor, though it only waits: a route with any interceptor sends
 * every request through Nest's RxJS chain, which cost availability reads a fifth of their
 * throughput (ADR 0016). Runs after the global auth and caller-limit guards.
 */
@Injectable()
export class ConsistentReadGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(EVENTING_OPTIONS) private readonly eventing: EventingModuleOptions,
    @Optional() @Inject(READ_CACHE) private readonly cache?: ReadCache,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const options = this.reflector.get<ConsistentReadOptions | undefined>(
      CONSISTENT_READ,
      context.getHandler(),
    );
    const positions = options && positionsAskedFor(context.switchToHttp().getRequest<Request>());
    // Most reads bring no token: they pass without a promise.
    if (!options || !positions || positions.length === 0) return true;
    return this.waitFor(options, positions);
  }

  private async waitFor(
    options: ConsistentReadOptions,
    positions: WrittenPosition[],
  ): Promise<boolean> {
    const sources = {
      projections: options.projections?.map((p) => p.name),
      ownContext: options.ownEvents ? this.eventing.context : undefined,
    };
    const applied = await waitUntilApplied(
      this.pool,
      sources,
      positions,
      this.config.CONSISTENCY_WAIT_MS,
    );
    if (!applied) throw notYetConsistent();
    await this.cache?.refresh();
    return true;
  }
}

function positionsAskedFor(req: Request): WrittenPosition[] | undefined {
  const header = req.headers[IF_CONSISTENT_WITH_HEADER.toLowerCase()];
  // Express 5 parses the query string again on every read of `req.query`.
  const parameter = req.url.includes(CONSISTENT_WITH_PARAMETER)
    ? (req.query as Record<string, unknown> | undefined)?.[CONSISTENT_WITH_PARAMETER]
    : undefined;
  if (header === undefined && parameter === undefined) return undefined;
  return [
    ...decoded(header, IF_CONSISTENT_WITH_HEADER),
    ...decoded(parameter, CONSISTENT_WITH_PARAMETER),
  ];
}

function decoded(value: unknown, field: string): WrittenPosition[] {
  if (value === undefined) return [];
  const positions = typeof value === 'string' ? decodeConsistencyToken(value) : undefined;
  if (positions) return positions;
  throw validationProblem(
    [{ field, message: `must be a ${CONSISTENCY_TOKEN_HEADER} as a command answered it` }],
    'The consistency token is not valid.',
  );
}

function notYetConsistent(): ProblemException {
  return new ProblemException({
    status: 503,
    type: 'not-yet-consistent',
    title: 'Not yet consistent',
    detail: 'The read model has not caught up with the writes this token names yet.',
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}
