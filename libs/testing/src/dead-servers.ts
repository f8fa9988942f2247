import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { waitForExit } from './child-process';

/** A server that is there but useless; `url` is its `http://127.0.0.1:<port>`. */
export interface DeadServer {
  url: string;
  close(): Promise<void>;
}

/** Accepts every connection and never answers: a hung feed or CalDAV server. */
export async function silentServer(): Promise<DeadServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// Node accepts whatever reaches a listening socket, so a socket that never accepts is Python's.
const UNACCEPTING = `
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(0)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
`;

/**
 * Never accepts a connection: a listening socket with a backlog of one that one connection
 * fills, after which the kernel drops every SYN, as a firewall that drops would. Python is
 * there wherever the tests run (Radicale needs it).
 */
export async function unacceptingServer(port = 0): Promise<DeadServer> {
  const child = spawn('python3', ['-c', UNACCEPTING, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const bound = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
  });
  const filler = connect(bound, '127.0.0.1');
  filler.on('error', () => undefined);
  await new Promise((resolve) => filler.once('connect', resolve));
  return {
    url: `http://127.0.0.1:${bound}`,
    async close() {
      filler.destroy();
      child.kill();
      await waitForExit(child);
    },
  };
}

/** A TCP proxy to `target` (`http://host:port`) that can die: from then on it accepts and never answers. */
export interface MortalProxy extends DeadServer {
  die(): void;
}

export async function mortalProxy(target: string): Promise<MortalProxy> {
  const { hostname, port } = new URL(target);
  let dead = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.once('close', () => sockets.delete(client));
    if (dead) return;
    const upstream = connect(Number(port), hostname);
    upstream.on('error', () => client.destroy());
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    die() {
      dead = true;
      destroyAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
