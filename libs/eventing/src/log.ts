/** The little logging the backbone needs; services pass their pino logger, tests a no-op. */
export type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  details?: Record<string, unknown>,
) => void;

export const silentLog: Log = () => undefined;

export const errorDetails = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error: error.message, name: error.name } : { error: String(error) };
