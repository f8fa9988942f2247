import { type z } from 'zod';

/** Thrown before anything starts, so the message alone must tell the operator what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

function describe(issue: z.ZodIssue): string {
  const variable = issue.path.join('.') || '(environment)';
  const missing = issue.code === 'invalid_type' && issue.received === 'undefined';
  return `${variable}: ${missing ? 'required' : issue.message}`;
}

/** Blank variables count as unset: `FOO=` in an env file should fall back to the default. */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') set[name] = value;
  }
  return set;
}

export function loadConfig<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  env: Record<string, string | undefined>,
): T {
  const result = schema.safeParse(withoutBlanks(env));
  if (result.success) return result.data;
  const problems = [...new Set(result.error.issues.map(describe))];
  throw new ConfigError(problems);
}
