import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CalDavServerHandle,
  type DeadServer,
  eventually,
  type MortalProxy,
  mortalProxy,
  startCalDavServer,
  type TestContext,
  unacceptingServer,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busEvents,
  type ConnectorAndSync,
  startConnectorAndSync,
} from './support/connector-and-sync';
import { type ProApi, signInPro } from './support/pro-api';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//feeds//EN',
  'BEGIN:VEVENT',
  'UID:club-night@feeds',
  'DTSTAMP:20261120T080000Z',
  'DTSTART:20261201T190000Z',
  'DURATION:PT2H',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** Serves the feed until told to hang: then it accepts every request and answers none. */
async function feedServer(): Promise<{ url: string; hang(): void; server: Server }> {
  let hanging = false;
  const server = createServer((_req, res) => {
    if (hanging) return;
    res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hang: () => (hanging = true),
    server,
  };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

interface SyncData {
  calendarId: string;
  cause: string;
}

describe('one dead calendar server never slows the others', () => {
  let system: ConnectorAndSync;
  let ctx: TestContext;
  let pro: ProApi;
  let live: Awaited<ReturnType<typeof feedServer>>;
  let silent: Awaited<ReturnType<typeof feedServer>>;
  let doomed: Awaited<ReturnType<typeof feedServer>>;
  let unaccepting: DeadServer | undefined;
  let radicale: CalDavServerHandle;
  let proxies: MortalProxy[] = [];
  const liveIds: string[] = [];
  /** By server: the silent feeds, the unaccepted feeds, each CalDAV server's calendar. */
  const deadServers: string[][] = [[], [], [], []];
  const deadIds = () => deadServers.flat();

  beforeAll(async () => {
    [live, silent, doomed] = await Promise.all([feedServer(), feedServer(), feedServer()]);
    radicale = await startCalDavServer('radicale', {
      credentials: { username: 'ina', password: 'pw-of-ina' },
    });
    proxies = await Promise.all([mortalProxy(radicale.url), mortalProxy(radicale.url)]);
    system = await startConnectorAndSync(
      () => ({
        ICS_ALLOW_PRIVATE_ADDRESSES: 'true',
        PROVIDER_CONNECT_TIMEOUT_MS: '1000',
        PROVIDER_TIMEOUT_MS: '3000',
        ICS_TIMEOUT_MS: '3000',
      }),
      { SYNC_POLL_INTERVAL_MS: '1500', SYNC_HOST_CONCURRENCY: '2' },
    );
    ctx = system.ctx;
    pro = await signInPro(system, 'pro-isolated');
  });
  afterAll(async () => {
    await system?.stop();
    await Promise.all([live, silent, doomed].map((f) => f && close(f.server)));
    await unaccepting?.close();
    await Promise.all(proxies.map((p) => p.close()));
    await radicale?.dispose();
  });

  const connectFeed = async (url: string) =>
    (await pro.connect({ provider: 'ics', url }).expect(201)).body.calendars[0]
      .calendarId as string;
  const syncs = async (type: 'calendar.synced' | 'calendar.sync_failed') =>
    (await busEvents(ctx, type)).map((e) => e.data as SyncData & { errorKind?: string });
  const scheduledSyncs = async (calendarId: string) =>
    (await syncs('calendar.synced')).filter(
      (s) => s.calendarId === calendarId && s.cause === 'schedule',
    ).length;

  it('connects live feeds, ten feeds and two CalDAV servers that then die', async () => {
    for (let i = 0; i < 4; i++) liveIds.push(await connectFeed(`${live.url}/live-${i}.ics`));
    for (let i = 0; i < 5; i++)
      deadServers[0]!.push(await connectFeed(`${silent.url}/silent-${i}.ics`));
    for (let i = 0; i < 5; i++)
      deadServers[1]!.push(await connectFeed(`${doomed.url}/doomed-${i}.ics`));
    for (const [n, proxy] of proxies.entries()) {
      const created = await pro
        .connect({
          provider: 'caldav',
          serverUrl: proxy.url,
          username: 'ina',
          password: 'pw-of-ina',
        })
        .expect(201);
      deadServers[2 + n]!.push(created.body.calendars[0].calendarId);
    }
    await eventually(async () => {
      const synced = new Set((await syncs('calendar.synced')).map((s) => s.calendarId));
      for (const id of [...liveIds, ...deadIds()]) expect(synced).toContain(id);
    });
    // One server answers nothing; the other stops accepting at all; the CalDAV servers hang.
    silent.hang();
    const port = Number(new URL(doomed.url).port);
    await close(doomed.server);
    unaccepting = await unacceptingServer(port);
    for (const proxy of proxies) proxy.die();
  });

  it('the dead calendars fail, each on its own, and every dead server by timeout', async () => {
    // The first failure may be the connection the server dropped as it died; then the breaker
    // of its host holds its calendars back, so not every calendar need have timed out itself.
    await eventually(async () => {
      const failed = await syncs('calendar.sync_failed');
      for (const server of deadServers) {
        const ofServer = failed.filter((f) => server.includes(f.calendarId));
        for (const id of server) expect(ofServer.map((f) => f.calendarId)).toContain(id);
        expect(ofServer.map((f) => f.errorKind)).toContain('timeout');
      }
    }, 40_000);
  });

  it('the live feeds keep their interval while the dead ones hang', async () => {
    const before = await Promise.all(liveIds.map(scheduledSyncs));
    await eventually(async () => {
      const now = await Promise.all(liveIds.map(scheduledSyncs));
      now.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(before[i]! + 3));
    }, 60_000);
    // Counted against each other, no live feed fell behind: they all kept the same pace.
    const counts = await Promise.all(liveIds.map(scheduledSyncs));
    const gained = counts.map((n, i) => n - before[i]!);
    expect(Math.max(...gained) - Math.min(...gained)).toBeLessThanOrEqual(2);
  });

  it('a new connection syncs first while the dead ones still hang', async () => {
    const fresh = await connectFeed(`${live.url}/fresh.ics`);
    await eventually(async () =>
      expect(await syncs('calendar.synced')).toContainEqual(
        expect.objectContaining({ calendarId: fresh, cause: 'connected' }),
      ),
    );
    const { rows } = await ctx.pool.query<{ failures: number }>(
      `SELECT failures FROM ${ctx.schema}_sync.sync_calendars WHERE calendar_id = ANY($1)`,
      [deadIds()],
    );
    expect(rows.every((r) => r.failures > 0)).toBe(true);
  });
});
