import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import { REPO_ROOT } from './repo-root';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * JSON with keys sorted, as `prettier --check` wants it. Prettier's standalone build, because
 * its Node entry loads plugins by dynamic import, which a test runner may refuse.
 */
export async function stableJson(value: unknown): Promise<string> {
  const options = JSON.parse(readFileSync(join(REPO_ROOT, '.prettierrc.json'), 'utf8')) as object;
  return format(JSON.stringify(sortKeys(value), null, 2), {
    ...options,
    parser: 'json',
    plugins: [babel, estree],
  });
}
