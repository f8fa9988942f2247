import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentServer, unacceptingServer } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isTimeout } from '../src/infrastructure/providers/connect-deadline';
import { publicOnlyFetch } from '../src/infrastructure/providers/public-only-fetch';

// Loopback stands in for the internet here: 127.0.0.1 plays a public address, 127.0.0.2 a private one.
const allowed = (address: string) => address === '127.0.0.1';
const refused = () => new Error('not public');

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; authorization?: string; body: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    seen.push({
      method: req.method!,
      url: req.url!,
      authorization: req.headers.authorization,
      body,
    });
    const port = (server.address() as AddressInfo).port;
    if (req.url === '/to-private')
      return res.writeHead(302, { location: `http://127.0.0.2:${port}/` }).end();
    if (req.url === '/to-name')
      return res.writeHead(307, { location: `http://localhost:${port}/ok` }).end();
    if (req.url === '/see-other') return res.writeHead(303, { location: '/ok' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/big') return res.end('x'.repeat(2048));
    if (req.url === '/empty') return res.writeHead(204).end();
    res.writeHead(207, { 'content-type': 'application/xml', etag: '"1"' }).end(`<ok>${body}</ok>`);
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const guarded = publicOnlyFetch(refused, 1024, { allowed });
const causeOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(TypeError);
  return (error!.cause as Error).message;
};

describe('publicOnlyFetch', () => {
  it('answers like fetch: status, headers, body; request body and method sent', async () => {
    const response = await guarded(`${base}/dav/`, {
      method: 'REPORT',
      headers: { depth: '1', authorization: 'Basic abc' },
      body: '<q/>',
    });
    expect(response.status).toBe(207);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.text()).toBe('<ok><q/></ok>');
    expect(seen.at(-1)).toMatchObject({
      method: 'REPORT',
      url: '/dav/',
      authorization: 'Basic abc',
    });
    expect((await guarded(`${base}/empty`)).status).toBe(204);
  });

  it('refuses a literal address outside the policy, before connecting', async () => {
    const before = seen.length;
    const port = new URL(base).port;
    expect(await causeOf(guarded(`http://127.0.0.2:${port}/`))).toBe('not public');
    expect(await causeOf(guarded('http://[::1]:9/'))).toBe('not public');
    expect(seen.length).toBe(before);
  });

  it('checks every redirect, by literal and by name in the lookup', async () => {
    expect(await causeOf(guarded(`${base}/to-private`))).toBe('not public');
    const strictName = publicOnlyFetch(refused, 1024, {
      allowed: (a) => a === '203.0.113.9',
      allowInternalNames: true,
    });
    expect(await causeOf(strictName(`http://localhost:${new URL(base).port}/`))).toBe('not public');
  });

  it('follows redirects as fetch does: 303 becomes a GET, credentials stay on their origin, loops end', async () => {
    const response = await guarded(`${base}/see-other`, {
      method: 'POST',
      body: 'x',
      headers: { authorization: 'Basic abc' },
    });
    expect(response.status).toBe(207);
    expect(seen.at(-1)).toMatchObject({
      method: 'GET',
      url: '/ok',
      body: '',
      authorization: 'Basic abc',
    });
    const manual = await guarded(`${base}/see-other`, { redirect: 'manual' });
    expect(manual.status).toBe(303);
    expect(await causeOf(guarded(`${base}/loop`))).toMatch(/too many/);
  });

  it('drops the credentials on a redirect to another origin', async () => {
    const viaName = publicOnlyFetch(refused, 1024, {
      allowed: () => true,
      allowInternalNames: true,
    });
    await viaName(`${base}/to-name`, { headers: { authorization: 'Basic abc' } });
    expect(seen.at(-1)).toMatchObject({ url: '/ok', authorization: undefined });
  });

  it('refuses an answer over the size limit and gives up at the deadline', async () => {
    expect(await causeOf(guarded(`${base}/big`))).toMatch(/over 1024 bytes/);
    const error = await guarded(`${base}/`, { signal: AbortSignal.timeout(0) }).catch(
      (e: Error) => e,
    );
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('refuses internal names before looking them up, also on a redirect', async () => {
    const before = seen.length;
    const anyAddress = publicOnlyFetch(refused, 1024, { allowed: () => true });
    const port = new URL(base).port;
    for (const host of [
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `ip6-localhost:${port}`,
      'metadata.google.internal',
      'metadata',
      'printer.local',
    ])
      expect(await causeOf(anyAddress(`http://${host}/`))).toBe('not public');
    expect(seen.length).toBe(before);
    expect(await causeOf(anyAddress(`${base}/to-name`))).toBe('not public');
    expect(seen.at(-1)?.url).toBe('/to-name');
  });

  it('gives up on a server that never accepts at the connect deadline, and one that never answers at the overall one', async () => {
    const [unaccepting, silent] = await Promise.all([unacceptingServer(), silentServer()]);
    try {
      const quick = publicOnlyFetch(refused, 1024, {
        allowed: () => true,
        connectTimeoutMs: 200,
      });
      // The overall deadline is far away: only the connect deadline can end the first call.
      const connecting = await quick(unaccepting.url, {
        signal: AbortSignal.timeout(60_000),
      }).catch((e: Error) => e);
      expect(isTimeout(connecting)).toBe(true);
      expect((connecting as Error).message).toBe('connect timed out');
      const answering = await quick(silent.url, { signal: AbortSignal.timeout(300) }).catch(
        (e: Error) => e,
      );
      expect(isTimeout(answering)).toBe(true);
      expect((answering as Error).message).not.toBe('connect timed out');
    } finally {
      await Promise.all([unaccepting.close(), silent.close()]);
    }
  });
});
