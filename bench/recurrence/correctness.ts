import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { vectorFiles } from '../../libs/ical/test/vectors/vector-file';

export type Outcome = 'passed' | 'failed' | 'threw' | 'hung';

/** A vector taking longer than this in one engine counts as hung, and the engine's child is killed. */
const HANG_MS = 5_000;

interface Message {
  readonly index?: number;
  readonly outcome?: Outcome;
  readonly done?: boolean;
  readonly ready?: boolean;
}

/** Every non-skipped vector through one engine, in child processes, so a hang costs one vector. */
export async function runEngine(engine: string, total: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array<Outcome>(total).fill('hung');
  let next = 0;
  while (next < total) {
    next = await runFrom(engine, next, outcomes);
  }
  return outcomes;
}

function runFrom(engine: string, from: number, outcomes: Outcome[]): Promise<number> {
  return new Promise((resolve) => {
    const child: ChildProcess = fork(join(__dirname, 'vector-child.ts'), [engine, String(from)], {
      execArgv: ['-r', '@swc-node/register'],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    let expected = from;
    // Started once the child has loaded, so module compilation never counts as a hang.
    let timer: NodeJS.Timeout | undefined;
    function hang() {
      child.kill('SIGKILL');
      outcomes[expected] = 'hung';
      resolve(expected + 1);
    }
    child.on('message', (message: Message) => {
      clearTimeout(timer);
      if (message.done) return resolve(outcomes.length);
      if (message.ready) {
        timer = setTimeout(hang, HANG_MS);
        return;
      }
      if (message.index === undefined || !message.outcome) return;
      outcomes[message.index] = message.outcome;
      expected = message.index + 1;
      timer = setTimeout(hang, HANG_MS);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(Math.max(expected, from + 1));
    });
  });
}

/** The non-skipped vectors, in the order the child runs them, with their source. */
export function vectorSources(): string[] {
  return vectorFiles().flatMap((file) =>
    file.vectors.filter((v) => v.skip === undefined).map(() => file.name),
  );
}

export function skippedBySource(): Map<string, number> {
  return new Map(
    vectorFiles().map((file) => [
      file.name,
      file.vectors.filter((v) => v.skip !== undefined).length,
    ]),
  );
}
