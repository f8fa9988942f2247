import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 15_000;
const SLICES = 8;
const handedOut = new Set<number>();

/**
 * A port that is free now, for a server started a moment later. The kernel's own choice
 * (`listen(0)`) comes from the ephemeral range, which every outgoing connection also draws
 * from, so a client socket could take the port before the server binds it; ports are therefore
 * picked below that range, each Jest worker in a slice of its own so parallel files never race
 * for one.
 */
export async function freePort(): Promise<number> {
  const [low, high] = portSlice();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      if (handedOut.size > (high - low) / 2) handedOut.clear();
      return port;
    }
  }
  throw new Error(`no free port between ${low} and ${high}`);
}

/** The ports `freePort` draws from in this process: [low, high). */
export function portSlice(): [number, number] {
  const ephemeralLow = ephemeralRangeStart();
  const worker = Number(process.env.JEST_WORKER_ID);
  if (!Number.isInteger(worker) || worker < 1) return [LOWEST, ephemeralLow];
  const width = Math.floor((ephemeralLow - LOWEST) / SLICES);
  const low = LOWEST + ((worker - 1) % SLICES) * width;
  return [low, low + width];
}

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > LOWEST + 1_000 ? value : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
