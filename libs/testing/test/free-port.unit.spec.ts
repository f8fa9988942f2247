import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort, portSlice } from '../src/free-port';

const ephemeralLow = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

describe('freePort', () => {
  it('picks ports below the ephemeral range, which outgoing connections draw from', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(15_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives each Jest worker its own slice of ports', async () => {
    const saved = process.env.JEST_WORKER_ID;
    try {
      process.env.JEST_WORKER_ID = '1';
      const first = await Promise.all(Array.from({ length: 20 }, () => freePort()));
      process.env.JEST_WORKER_ID = '2';
      const second = await Promise.all(Array.from({ length: 20 }, () => freePort()));
      expect(Math.max(...first)).toBeLessThan(Math.min(...second));
    } finally {
      process.env.JEST_WORKER_ID = saved;
    }
  });

  it('never hands out a port something listens on', async () => {
    const saved = process.env.JEST_WORKER_ID;
    process.env.JEST_WORKER_ID = '3';
    const servers: Server[] = [];
    try {
      // Every other port of the slice: without the bind check, half the draws would hit one.
      const [low, high] = portSlice();
      const occupied = new Set<number>();
      for (let port = low; port < high; port += 2) {
        const server = await listenOn(port).catch(() => null);
        if (!server) continue;
        servers.push(server);
        occupied.add(port);
      }
      for (let i = 0; i < 100; i++) expect(occupied.has(await freePort())).toBe(false);
    } finally {
      process.env.JEST_WORKER_ID = saved;
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
