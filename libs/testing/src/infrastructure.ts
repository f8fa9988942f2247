import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { Socket } from 'node:net';

export const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export function isListening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function waitFor(
  host: string,
  port: number,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isListening(host, port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up on ${host}:${port} within ${timeoutMs} ms`);
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/** Starts the local PostgreSQL cluster and nats-server when they are down (the same commands scripts/services.sh uses). */
export async function ensureInfrastructure(): Promise<void> {
  const pg = hostPort(DATABASE_URL, 5432);
  if (!(await isListening(pg.host, pg.port))) {
    if (!existsSync('/etc/postgresql'))
      throw new Error(
        'PostgreSQL is not running and not installed: run `bash scripts/services.sh`',
      );
    const version = readdirSync('/etc/postgresql')[0]!;
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
      stdio: 'inherit',
    });
    await waitFor(pg.host, pg.port, 'PostgreSQL');
  }
  const nats = hostPort(NATS_URL, 4222);
  if (!(await isListening(nats.host, nats.port))) {
    if (!existsSync('/usr/sbin/nats-server'))
      throw new Error(
        'nats-server is not running and not installed: run `bash scripts/services.sh`',
      );
    execFileSync(
      'start-stop-daemon',
      [
        '--start',
        '--oknodo',
        '--background',
        '--exec',
        '/usr/sbin/nats-server',
        '--',
        '-a',
        nats.host,
        '-p',
        String(nats.port),
        '-js',
        '-sd',
        '/var/lib/nats-server',
        '-l',
        '/var/log/nats-server.log',
      ],
      { stdio: 'inherit' },
    );
    await waitFor(nats.host, nats.port, 'NATS');
  }
}
