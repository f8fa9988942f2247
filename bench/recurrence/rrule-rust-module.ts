import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * rrule-rust's prebuilt packages for other platforms are not on every registry mirror, and
 * npm ci then refuses a lock file that lacks them; so the benchmark installs it for itself,
 * under tmp/, instead of it being a dependency of the project.
 */
const VERSION = '3.1.1';
const prefix = join(__dirname, '../../tmp/bench-engines');

interface RRuleRust {
  RRuleSet: {
    fromString(text: string): {
      between(from: unknown, to: unknown, inclusive: boolean): unknown[];
    };
  };
  DateTime: { fromString(text: string): unknown };
}

let loaded: RRuleRust | undefined;

export function rruleRustModule(): RRuleRust {
  if (loaded) return loaded;
  if (!existsSync(join(prefix, 'node_modules/rrule-rust/package.json'))) {
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `rrule-rust@${VERSION}`],
      { stdio: 'ignore' },
    );
  }
  loaded = createRequire(join(prefix, 'package.json'))('rrule-rust') as RRuleRust;
  return loaded;
}
