import { Injectable } from '@nestjs/common';
import { type Metadata } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  type AbandonableCall,
  type Principal,
  TokenVerifier,
  abandonedRpcException,
  authenticateGrpc,
  callSignal,
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
 * `if-match` from metadata, and a taken slot's alternatives in the status message. A command
 * whose caller's deadline passed before it began is not begun; one begun runs to its end (the
 * caller learns its outcome by sending it again with the same `idempotency-key`).
 */
@Injectable()
export class GrpcCalls {
  constructor(private readonly verifier: TokenVerifier) {}

  async run<T>(
    metadata: Metadata,
    call: AbandonableCall,
    work: (context: CallContext) => Promise<T>,
  ): Promise<T> {
    const signal = callSignal(call);
    try {
      const principal = await authenticateGrpc(this.verifier, metadata);
      signal.throwIfAborted();
      return await work({
        principal,
        key: metadataText(metadata, 'idempotency-key'),
        ifMatch: metadataText(metadata, 'if-match'),
      });
    } catch (error) {
      throw signal.aborted ? abandonedRpcException() : toRpcException(error);
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
