export type SchedulingErrorCode = 'unknown-service' | 'unknown-time-zone' | 'invalid-setting';

/** Input the engine cannot compute with; `path` names the offending setting. */
export class SchedulingError extends Error {
  override readonly name = 'SchedulingError';

  constructor(
    readonly code: SchedulingErrorCode,
    readonly path: string,
    detail: string,
  ) {
    super(`${code} at ${path}: ${detail}`);
  }
}
