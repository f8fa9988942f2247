/**
 * One dead calendar server must not slow the others: live calendars' sync lag with and without
 * dead feeds among them, the second within 2× of the first. Run: npm run bench:sync-isolation
 * Starts the connector and sync as their own processes (own schemas, one NATS prefix) with their
 * default deadlines and concurrency, and serves 200 iCalendar feeds from ten local HTTP servers
 * (twenty per host). Lag is, per live calendar and run, the time from when it came due (the
 * `next_sync_at` its previous run set) to the run that synced it, read from sync's table every
 * 50 ms. First 200 live calendars alone; then ten more feeds are connected and their servers
 * die: five on a server that accepts and never answers, five on one that never accepts.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signTestToken } from '@cs/platform';
// The Jest-free parts of the test helpers.
import { collectOutput, spawnTs, waitForExit } from '../libs/testing/src/child-process';
import { type DeadServer, unacceptingServer } from '../libs/testing/src/dead-servers';
import { freePort } from '../libs/testing/src/free-port';
import { createTestContext } from '../libs/testing/src/test-context';
import { serviceEnv } from './support/service-env';

const LIVE = 200;
const HOSTS = 10;
const DEAD = 10;
const POLL_MS = 10_000;
const MEASURE_MS = 60_000;
const SECRET = 'bench-secret-bench-secret-bench-secret!';
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//bench//EN',
  'BEGIN:VEVENT',
  'UID:bench@feeds',
  'DTSTAMP:20261120T080000Z',
  'DTSTART:20261201T190000Z',
  'DURATION:PT2H',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

async function feedServer(): Promise<{ url: string; server: Server; hang(): void }> {
  let hanging = false;
  const server = createServer((_req, res) => {
    if (!hanging) res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    hang: () => (hanging = true),
  };
}

const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const ctx = await createTestContext({ streams: [] });
  const syncSchema = `${ctx.schema}_sync`;
  const children: ChildProcess[] = [];
  const feeds = await Promise.all(Array.from({ length: HOSTS + 2 }, feedServer));
  let unaccepting: DeadServer | undefined;
  const start = async (entry: string, schema: string, env: Record<string, string>) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnTs(entry, {
      ...serviceEnv({ port, schema, prefix: ctx.prefix, secret: SECRET }),
      ...env,
    });
    const output = collectOutput(child);
    children.push(child);
    await until(`${entry} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${entry} exited:\n${output()}`);
      return (await fetch(`${url}/health/ready`)).status === 200;
    });
    return url;
  };
  try {
    const connectorUrl = await start('services/connector/src/main.ts', ctx.schema, {
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      ICS_ALLOW_PRIVATE_ADDRESSES: 'true',
    });
    await start('services/sync/src/main.ts', syncSchema, {
      SYNC_POLL_INTERVAL_MS: String(POLL_MS),
    });
    const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
    const connect = async (url: string) => {
      const response = await fetch(`${connectorUrl}/v1/pros/bench-pro/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'ics', url }),
      });
      if (response.status !== 201) throw new Error(`connect: ${response.status}`);
      return ((await response.json()) as { calendars: Array<{ calendarId: string }> }).calendars[0]!
        .calendarId;
    };
    const live: string[] = [];
    for (let i = 0; i < LIVE; i++) live.push(await connect(`${feeds[i % HOSTS]!.url}/f-${i}.ics`));
    await until(
      'every live calendar to sync once',
      async () => {
        const { rows } = await ctx.pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${syncSchema}.sync_calendars
            WHERE calendar_id = ANY($1) AND last_synced_at IS NOT NULL`,
          [live],
        );
        return Number(rows[0]!.n) === LIVE;
      },
      120_000,
    );

    /** Lags of the live calendars over `MEASURE_MS`, from sync's own table. */
    const measure = async (): Promise<number[]> => {
      const due = new Map<string, { syncedAt: number; dueAt: number }>();
      const lags: number[] = [];
      const end = Date.now() + MEASURE_MS;
      while (Date.now() < end) {
        const { rows } = await ctx.pool.query<{ id: string; synced: Date; next: Date }>(
          `SELECT calendar_id AS id, last_synced_at AS synced, next_sync_at AS next
             FROM ${syncSchema}.sync_calendars WHERE calendar_id = ANY($1)`,
          [live],
        );
        for (const row of rows) {
          const syncedAt = row.synced.getTime();
          const seen = due.get(row.id);
          if (seen && syncedAt > seen.syncedAt) lags.push(syncedAt - seen.dueAt);
          // Set by the run that synced it, until a claim leases it ten minutes ahead.
          if (!seen || syncedAt > seen.syncedAt)
            if (row.next.getTime() - syncedAt < 5 * 60_000)
              due.set(row.id, { syncedAt, dueAt: row.next.getTime() });
            else due.delete(row.id);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return lags.sort((a, b) => a - b);
    };

    const alone = await measure();
    const [silent, doomed] = [feeds[HOSTS]!, feeds[HOSTS + 1]!];
    for (let i = 0; i < DEAD; i++)
      await connect(`${(i % 2 === 0 ? silent : doomed).url}/dead-${i}.ics`);
    silent.hang();
    const port = Number(new URL(doomed.url).port);
    doomed.server.closeAllConnections();
    await new Promise((resolve) => doomed.server.close(resolve));
    unaccepting = await unacceptingServer(port);
    const withDead = await measure();

    const line = (name: string, lags: number[]) =>
      `${name.padEnd(22)} ${String(lags.length).padStart(5)} syncs   p50 ${percentile(lags, 0.5).toFixed(0)} ms   p99 ${percentile(lags, 0.99).toFixed(0)} ms`;
    console.log(
      `sync lag of ${LIVE} live feeds on ${HOSTS} hosts (poll ${POLL_MS} ms, ${MEASURE_MS / 1000} s each)`,
    );
    console.log(line('live feeds alone', alone));
    console.log(line(`with ${DEAD} dead feeds`, withDead));
    const ratio = (q: number) => percentile(withDead, q) / Math.max(1, percentile(alone, q));
    console.log(
      `ratio with/without dead feeds: p50 ${ratio(0.5).toFixed(2)}×   p99 ${ratio(0.99).toFixed(2)}×   (target ≤ 2×)`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    // The schemas go only once nothing uses them any more.
    await Promise.all(children.map(waitForExit));
    await unaccepting?.close();
    for (const feed of feeds) {
      feed.server.closeAllConnections();
      feed.server.close();
    }
    await ctx.pool.query(`DROP SCHEMA IF EXISTS ${syncSchema} CASCADE`);
    for (const context of ['connector', 'sync'] as const)
      await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
    await ctx.cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
