import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface OracleCase {
  readonly dtstart: string;
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

export type OracleAnswer =
  | { readonly starts: string[] }
  | { readonly error: string }
  | { readonly crash: string }
  | { readonly timeout: true };

const root = join(__dirname, '..', '..', '..', '..');
const PROBE = 'import sys; sys.path.insert(0, sys.argv[1]); import dateutil.rrule';
const script = join(__dirname, 'dateutil_rrule.py');
/** Where scripts/test.sh unpacks Debian's python3-dateutil when no python has it; both the
 * probe and the oracle put it first on sys.path, as PYTHONPATH would. */
const unpacked = join(root, 'tmp', 'pydeps', 'usr', 'lib', 'python3', 'dist-packages');

/** The first python that can import dateutil; the test fails, never skips, without one. */
function python(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', PROBE, unpacked]);
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    'python3 with python-dateutil is needed for the recurrence oracle: tried python3 and ' +
      '/usr/bin/python3; scripts/test.sh unpacks Debian python3-dateutil into tmp/pydeps',
  );
}

/** dateutil's occurrences for every case, in one python process. */
export function askDateutil(cases: readonly OracleCase[], secondsPerCase: number): OracleAnswer[] {
  const run = spawnSync(python(), [script, String(secondsPerCase), unpacked], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`dateutil oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleAnswer[];
}
