/** A probe that hangs is as bad as one that fails, and must not hold the readiness answer. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const PROBE_TIMEOUT_MS = 2_000;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
