import { Injectable, Logger } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { RuleViolation } from '@cs/contracts';
import {
  type AbandonableCall,
  type Principal,
  ProblemException,
  TokenVerifier,
  abandonedRpcException,
  authenticateGrpc,
  callSignal,
  rpcExceptionOf,
  unexpectedRpcException,
  validationProblem,
} from '@cs/platform';

const logger = new Logger('Grpc');

/**
 * What HTTP's guard and problem filter do, for gRPC calls to this service; `signal` aborts when
 * the caller's deadline passes, and work not yet begun is not begun.
 */
@Injectable()
export class GrpcCalls {
  constructor(private readonly verifier: TokenVerifier) {}

  async run<T>(
    metadata: Metadata,
    call: AbandonableCall,
    work: (principal: Principal, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const signal = callSignal(call);
    try {
      const principal = await authenticateGrpc(this.verifier, metadata);
      signal.throwIfAborted();
      return await work(principal, signal);
    } catch (error) {
      throw signal.aborted ? abandonedRpcException() : toRpcException(error);
    }
  }
}

function toRpcException(error: unknown): RpcException {
  if (error instanceof RuleViolation)
    return rpcExceptionOf(validationProblem([...error.violations], ''));
  if (error instanceof ProblemException) return rpcExceptionOf(error);
  logger.error({
    msg: 'gRPC call failed',
    error: error instanceof Error ? error.stack : String(error),
  });
  return unexpectedRpcException();
}
