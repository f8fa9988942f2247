import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  body: string;
}

/** Keep-alive HTTP calls to one origin, with at most `connections` sockets. */
export function httpClient(origin: string, token: string, connections: number) {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const call = (method: string, path: string, body?: object) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  return { call, close: () => agent.destroy() };
}

export interface LoadResult {
  perSecond: number;
  /** Latencies in ms, sorted. */
  sorted: number[];
  failures: number;
}

/** `connections` callers one request after another for `seconds`; a non-2xx answer is a failure. */
export async function closedLoop(
  connections: number,
  seconds: number,
  send: (caller: number) => Promise<Answer>,
): Promise<LoadResult> {
  const sorted: number[] = [];
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, caller) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const answer = await send(caller);
        sorted.push(performance.now() - t);
        if (answer.status >= 300) failures++;
      }
    }),
  );
  sorted.sort((a, b) => a - b);
  return { perSecond: sorted.length / seconds, sorted, failures };
}

export const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** The floor of an HTTP figure: a bare Node server answering `body` as JSON, nothing else. */
export async function bareServer(body: string): Promise<{ origin: string; close(): void }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
