import { type Metadata, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { forbidden, unauthorized } from '../auth/auth-problems';
import { type Principal } from '../auth/principal';
import { type TokenVerifier } from '../auth/token-verifier';
import { ProblemException } from '../errors/problem';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const CODES: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ABORTED,
  412: status.FAILED_PRECONDITION,
  422: status.INVALID_ARGUMENT,
  503: status.UNAVAILABLE,
};

/** A metadata value as text, the way HTTP carries the header of the same name. */
export function metadataText(metadata: Metadata, name: string): string | undefined {
  const value = metadata.get(name)[0];
  return typeof value === 'string' ? value : undefined;
}

/** What HTTP's auth guard does, for gRPC: the JWT from metadata `authorization`. */
export async function authenticateGrpc(
  verifier: TokenVerifier,
  metadata: Metadata,
): Promise<Principal> {
  const token = BEARER.exec(metadataText(metadata, 'authorization') ?? '')?.[1];
  if (token === undefined) throw unauthorized('A bearer token is required.');
  let principal: Principal;
  try {
    principal = await verifier.verify(token);
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    throw unauthorized(error instanceof Error ? `${error.message}.` : 'The token is invalid.');
  }
  if (principal.roles.length === 0) throw forbidden('The token grants no role here.');
  return principal;
}

/** A problem as a gRPC status whose message names each bad field. */
export function rpcExceptionOf(
  problem: ProblemException,
  ...extra: Array<string | false | undefined>
) {
  const { detail, errors } = problem.problem;
  const message = [detail, errors?.map((e) => `${e.field}: ${e.message}`).join('; '), ...extra]
    .filter(Boolean)
    .join(' ');
  return new RpcException({ code: CODES[problem.getStatus()] ?? status.INTERNAL, message });
}

export const unexpectedRpcException = () =>
  new RpcException({ code: status.INTERNAL, message: 'An unexpected error occurred.' });
