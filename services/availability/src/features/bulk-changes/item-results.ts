import { Logger } from '@nestjs/common';
import { RuleViolation } from '@cs/contracts';
import { collectWritten, encodeConsistencyToken } from '@cs/platform';

/** One Pro's fate in a bulk request: each Pro's change is its own command. */
export type ItemResult =
  | {
      proId: string;
      status: 'applied' | 'unchanged';
      version: number;
      /** This Pro's own token: the answer's header names at most 64 streams. */
      consistencyToken?: string;
    }
  | {
      proId: string;
      status: 'rejected';
      error: { message: string; errors: Array<{ field: string; message: string }> };
    }
  | { proId: string; status: 'failed'; error: { message: string } };

const logger = new Logger('BulkChanges');

/** Commands per request in flight at once: enough to hide round trips, few enough to share the pool. */
const PARALLEL = 8;

/**
 * Runs one command per Pro, a few at a time, and reports each in the order given; a refused or
 * failed Pro does not stop the others.
 */
export async function forEachPro(
  proIds: readonly string[],
  command: (proId: string) => Promise<{ version: number; changed: boolean }>,
): Promise<ItemResult[]> {
  const results = new Array<ItemResult>(proIds.length);
  let next = 0;
  const worker = async () => {
    while (next < proIds.length) {
      const index = next++;
      results[index] = await attempt(proIds[index] as string, command);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, proIds.length) }, worker));
  return results;
}

async function attempt(
  proId: string,
  command: (proId: string) => Promise<{ version: number; changed: boolean }>,
): Promise<ItemResult> {
  try {
    const { result, written } = collectWritten(() => command(proId));
    const { version, changed } = await result;
    const consistencyToken = encodeConsistencyToken(written);
    return {
      proId,
      status: changed ? 'applied' : 'unchanged',
      version,
      ...(consistencyToken === undefined ? {} : { consistencyToken }),
    };
  } catch (error) {
    if (error instanceof RuleViolation)
      return {
        proId,
        status: 'rejected',
        error: { message: 'The change breaks a rule.', errors: [...error.violations] },
      };
    logger.error({ msg: 'bulk change failed for one Pro', proId, error: String(error) });
    return { proId, status: 'failed', error: { message: 'An unexpected error occurred.' } };
  }
}
