import type { ClientRequest } from 'node:http';

/** What a caller that sets none gets: far below the overall deadlines, far above a handshake. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Named as `AbortSignal.timeout`'s reason is, so callers tell both deadlines by one name. */
export const connectTimedOut = () => new DOMException('connect timed out', 'TimeoutError');

/**
 * Ends a request whose socket is not connected (name looked up, TCP and TLS handshakes begun)
 * within `ms`: a server that never accepts costs this, not the whole deadline. A socket reused
 * from the agent is already connected and is left alone.
 */
export function limitConnect(request: ClientRequest, ms: number): void {
  request.once('socket', (socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => request.destroy(connectTimedOut()), ms);
    const clear = () => clearTimeout(timer);
    socket.once('connect', clear);
    socket.once('close', clear);
  });
}

/** Whether a failure, or one of its causes, is a deadline (connect or overall) that ran out. */
export function isTimeout(error: unknown): boolean {
  // By shape, not `instanceof Error`: an abort made by Node's own timers may come from another
  // realm (a VM context, as under Jest) and still be the same timeout.
  let e = error;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { name, code, cause } = e as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'TimeoutError' || code === 'TimeoutError') return true;
    e = cause;
  }
  return false;
}
