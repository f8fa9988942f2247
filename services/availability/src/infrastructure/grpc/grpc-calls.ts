import { Injectable, Logger } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { RuleViolation } from '@cs/contracts';
import {
  type Principal,
  ProblemException,
  TokenVerifier,
  authenticateGrpc,
  rpcExceptionOf,
  unexpectedRpcException,
  validationProblem,
} from '@cs/platform';

const logger = new Logger('Grpc');

/** What HTTP's guard and problem filter do, for gRPC calls to this service. */
@Injectable()
export class GrpcCalls {
  constructor(private readonly verifier: TokenVerifier) {}

  async run<T>(metadata: Metadata, work: (principal: Principal) => Promise<T>): Promise<T> {
    try {
      return await work(await authenticateGrpc(this.verifier, metadata));
    } catch (error) {
      throw toRpcException(error);
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
