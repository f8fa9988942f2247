import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDocs } from './docs/generate-docs';
import { REPO_ROOT } from './docs/repo-root';

/** `npm run docs:generate`: rewrites docs/api from the code; tests/docs fails until it is run. */
async function main(): Promise<void> {
  for (const [path, content] of await generateDocs()) {
    mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
