import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '@cs/contracts';

/** Who and what caused the work in progress: carried from HTTP into events and from events into the work they cause. */
export interface ExecutionContext {
  correlationId: string;
  causationId: string | null;
  actor: Actor;
}

const storage = new AsyncLocalStorage<ExecutionContext>();

export function runInContext<T>(context: ExecutionContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): ExecutionContext | undefined {
  return storage.getStore();
}
