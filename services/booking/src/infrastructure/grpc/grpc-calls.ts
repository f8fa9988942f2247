import { Injectable } from '@nestjs/common';
import { type Metadata } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  type Principal,
  TokenVerifier,
  authenticateGrpc,
  metadataText,
  rpcExceptionOf,
  unexpectedRpcException,
} from '@cs/platform';
import { problemOf } from '../booking-problems';

/** What the caller sent beside the request, as HTTP headers carry it. */
export interface CallContext {
  principal: Principal;
  key: string | undefined;
  ifMatch: string | undefined;
}

/**
 * What HTTP's guard and problem filter do, for gRPC: the JWT, the idempotency key and
 * `if-match` from metadata, and a taken slot's alternatives in the status message.
 */
@Injectable()
export class GrpcCalls {
  constructor(private readonly verifier: TokenVerifier) {}

  async run<T>(metadata: Metadata, work: (call: CallContext) => Promise<T>): Promise<T> {
    try {
      const principal = await authenticateGrpc(this.verifier, metadata);
      return await work({
        principal,
        key: metadataText(metadata, 'idempotency-key'),
        ifMatch: metadataText(metadata, 'if-match'),
      });
    } catch (error) {
      throw toRpcException(error);
    }
  }
}

function toRpcException(error: unknown): RpcException {
  const problem = problemOf(error);
  if (!problem) return unexpectedRpcException();
  const { alternatives } = problem.problem as { alternatives?: Array<{ start: string }> };
  return rpcExceptionOf(
    problem,
    alternatives?.length
      ? `alternatives: ${alternatives.map((a) => a.start).join(', ')}`
      : undefined,
  );
}
