/** The stream moved on since the caller read it: re-read, decide again, or report 412/409. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyError';
  }
}

/** A number is the exact version the stream must be at (0: no events yet). */
export type ExpectedVersion = number | 'any' | 'no_stream';
