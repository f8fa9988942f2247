import type { ProviderError } from '../../domain/provider/provider-error';

/** One page of a paged answer and the provider's pointer to the next one, if any. */
export interface Page<T> {
  items: T[];
  next?: string | null;
}

/**
 * Every item of a paged answer: `read` is asked for the first page (with no pointer) and then
 * for each page the previous one points to, until one points nowhere.
 */
export async function allPages<T>(read: (next?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await read(next);
    items.push(...page.items);
    next = page.next ?? undefined;
  } while (next);
  return items;
}

/**
 * A listing from the cursor, started over as a full listing when the provider answers 410 for
 * it (Google's `fullSyncRequired`, Graph's `syncStateNotFound`): a full listing lets sync drop
 * only what is really gone. Any other failure, of either try, is `failed(error)`.
 */
export async function listFromCursor<C, R>(
  cursor: C | null,
  round: (cursor: C | null) => Promise<R>,
  errors: {
    statusOf: (error: unknown) => number | undefined;
    failed: (error: unknown) => ProviderError;
  },
): Promise<R> {
  try {
    return await round(cursor);
  } catch (error) {
    if (cursor === null || errors.statusOf(error) !== 410) throw errors.failed(error);
    return round(null).catch((again: unknown) => {
      throw errors.failed(again);
    });
  }
}
