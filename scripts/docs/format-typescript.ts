import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier/standalone';
import * as estree from 'prettier/plugins/estree';
import * as typescript from 'prettier/plugins/typescript';
import { REPO_ROOT } from './repo-root';

/** TypeScript as `prettier --check` wants it (the standalone build, as `stableJson` uses). */
export async function formatTypeScript(source: string): Promise<string> {
  const options = JSON.parse(readFileSync(join(REPO_ROOT, '.prettierrc.json'), 'utf8')) as object;
  return format(source, { ...options, parser: 'typescript', plugins: [estree, typescript] });
}
