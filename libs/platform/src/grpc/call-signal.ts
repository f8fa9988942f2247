import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';

/** What of a grpc-js server call tells whether its caller is still waiting. */
export interface AbandonableCall {
  cancelled: boolean;
  once(event: 'cancelled', listener: () => void): unknown;
}

/**
 * Aborts once the caller stops waiting: its deadline passed (grpc-js has then answered
 * DEADLINE_EXCEEDED itself) or it cancelled. Work that checks it stops instead of finishing for
 * nobody.
 */
export function callSignal(call: AbandonableCall): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.once('cancelled', () => controller.abort());
  return controller.signal;
}

/** Never seen by the caller, who already has its status; it ends the handler's work. */
export const abandonedRpcException = () =>
  new RpcException({
    code: status.DEADLINE_EXCEEDED,
    message: 'The caller stopped waiting (deadline exceeded or cancelled).',
  });
