import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@cs/contracts';
import type { WrittenPosition } from './consistency-token';

interface Collector {
  readonly positions: WrittenPosition[];
  readonly parent: Collector | undefined;
}

const storage = new AsyncLocalStorage<Collector>();

/**
 * Notes a committed write for the answer's consistency token; outside a collecting request
 * (consumers, timers) it is forgotten.
 */
export function recordWritten(context: Context, streamId: string, version: number): void {
  if (version <= 0) return;
  for (let c = storage.getStore(); c; c = c.parent)
    c.positions.push({ context, streamId, version });
}

/**
 * Runs `work` collecting what it records; what a nested collection records reaches the outer
 * ones too (a bulk item's token, then the whole answer's).
 */
export function collectWritten<T>(work: () => T): { result: T; written: WrittenPosition[] } {
  const collector: Collector = { positions: [], parent: storage.getStore() };
  const result = storage.run(collector, work);
  return { result, written: collector.positions };
}
