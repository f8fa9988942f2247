import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../free-port';

const run = promisify(execFile);

export interface PostgresServerHandle {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trusting loopback. */
  url: string;
  port: number;
  /** `immediate` is a crash: no checkpoint, recovery from the WAL at the next start. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops the cluster and removes its files. */
  dispose(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  if (versions.length === 0)
    throw new Error('no PostgreSQL in /usr/lib/postgresql: run `bash scripts/services.sh`');
  return join(root, versions.at(-1)!, 'bin');
}

/**
 * A private PostgreSQL cluster (initdb into a temporary folder, on a free port) for tests that
 * restart or crash the database without disturbing the shared one. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user.
 */
export async function startPostgresServer(): Promise<PostgresServerHandle> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cs-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
  const pgCtl = (args: string[]) => run(...command('pg_ctl', ['-D', data, ...args]));
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pgCtl(['-m', mode, '-w', 'stop']).catch(() => undefined);
  };
  // Crashes of the server process, not of the machine, are tested: fsync can stay off.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pgCtl(['-w', '-t', '60', '-l', join(dir, 'log'), '-o', options, 'start']);
  };
  const leftBehind = () => {
    try {
      execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // already stopped
    }
  };

  await run(
    ...command('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']),
  );
  await start();
  // A test runner that dies must not leave a server behind.
  process.once('exit', leftBehind);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async restart(mode = 'immediate') {
      await stop(mode);
      await start();
    },
    async dispose() {
      process.removeListener('exit', leftBehind);
      await stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
