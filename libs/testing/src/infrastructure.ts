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

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/**
 * Fails fast, naming what to run, when PostgreSQL or NATS is not where the tests look: the
 * tests never start or reconfigure servers themselves (scripts/services.sh finds or starts
 * them and `npm test` passes their addresses on).
 */
export async function ensureInfrastructure(): Promise<void> {
  const servers = [
    { name: 'PostgreSQL', variable: 'DATABASE_URL', url: DATABASE_URL, defaultPort: 5432 },
    { name: 'NATS', variable: 'NATS_URL', url: NATS_URL, defaultPort: 4222 },
  ];
  for (const { name, variable, url, defaultPort } of servers) {
    const { host, port } = hostPort(url, defaultPort);
    if (!(await isListening(host, port)))
      throw new Error(
        `${name} does not answer on ${host}:${port} (${variable}): run \`bash scripts/services.sh\`, ` +
          `then set ${variable} from tmp/services.env, or run \`npm test\`, which does both`,
      );
  }
}
