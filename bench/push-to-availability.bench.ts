/**
 * docs/design.md §7: a change made in the provider → availability updated, p95 ≤ 1 s against the
 * emulators. Run: npm run bench:push
 * Starts the Google Calendar and Microsoft Graph emulators in this process and the connector,
 * sync and availability services as their own processes (own schemas, one NATS prefix). For each
 * provider a Pro connects a calendar through consent and the callback and the benchmark waits
 * for its push channel (Google) or subscription (Graph); then, one change at a time, it creates
 * an event as the Pro and measures until GET /v1/pros/{proId}/busy shows it. Sync runs with its
 * default tick (1 s), so the figures include how the pushed change wakes it.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { signTestToken } from '@cs/platform';
import {
  googleConsent,
  googleEnv,
  graphCaFile,
  graphConsent,
  microsoftEnv,
} from '../services/sync/test/support/provider-emulators';
// The Jest-free parts of the test helpers.
import { collectOutput, spawnTs } from '../libs/testing/src/child-process';
import { startGoogleCalendarEmulator } from '../libs/testing/src/emulators/google/google-calendar-emulator';
import { startGraphCalendarEmulator } from '../libs/testing/src/emulators/microsoft/graph-calendar-emulator';
import { freePort } from '../libs/testing/src/free-port';
import { createTestContext } from '../libs/testing/src/test-context';
import { serviceEnv } from './support/service-env';

const CHANGES = 40;
const WARM_UP = 3;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const SECRET = 'bench-secret-bench-secret-bench-secret!';

/** One provider as the benchmark drives it: a Pro of its own, changes made as that Pro. */
interface PushSource {
  name: string;
  proId: string;
  /** Where the consent page sends the browser back to. */
  consent(authorizeUrl: string): Promise<string>;
  /** The connected calendar has its push channel or subscription. */
  subscribed(): boolean;
  /** Creates a one-hour event at `at` as the Pro; answers the UID sync knows it by. */
  change(n: number, at: number): string;
  /** Change notifications sent so far, and how many the connector accepted. */
  notifications(): { accepted: number; sent: number };
}

function percentile(sorted: number[], q: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  const ctx = await createTestContext({ streams: [] });
  const google = await startGoogleCalendarEmulator();
  const graph = await startGraphCalendarEmulator();
  const ca = await graphCaFile(graph);
  const children: Array<{ name: string; child: ChildProcess; output: () => string }> = [];
  const schemas = [`${ctx.schema}_sync`, `${ctx.schema}_avail`];
  const start = async (
    name: string,
    entry: string,
    schema: string,
    env: Record<string, string>,
    port?: number,
  ) => {
    port ??= await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnTs(entry, {
      ...serviceEnv({ port, schema, prefix: ctx.prefix, secret: SECRET }),
      ...env,
    });
    const service = { name, child, output: collectOutput(child) };
    children.push(service);
    await until(
      `${name} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited:\n${service.output()}`);
        return (await fetch(`${url}/health/ready`)).status === 200 ? true : undefined;
      },
      60_000,
    );
    return url;
  };
  try {
    const connectorPort = await freePort();
    const connectorUrl = `http://127.0.0.1:${connectorPort}`;
    await start(
      'connector',
      'services/connector/src/main.ts',
      ctx.schema,
      {
        CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        ...googleEnv(google, connectorUrl),
        ...microsoftEnv(graph, ca, connectorUrl),
        PUBLIC_WEBHOOK_URL: connectorUrl,
      },
      connectorPort,
    );
    await start('sync', 'services/sync/src/main.ts', schemas[0]!, {});
    const availabilityUrl = await start(
      'availability',
      'services/availability/src/main.ts',
      schemas[1]!,
      { GRPC_PORT: String(await freePort()) },
    );

    const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
    const call = async (base: string, method: string, path: string, body?: object) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
        redirect: 'manual',
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };

    await call(availabilityUrl, 'PUT', '/v1/territories/nl-utrecht', {
      timeZone: 'Europe/Amsterdam',
      holidayRegion: 'NL',
    });
    const sources: PushSource[] = [
      {
        name: 'Google',
        proId: 'bench-pro-google',
        consent: googleConsent,
        subscribed: () => google.channels().length === 1,
        change: (n, at) =>
          google.asUser.insert('primary', {
            summary: `change ${n}`,
            start: { dateTime: new Date(at).toISOString() },
            end: { dateTime: new Date(at + HOUR).toISOString() },
          }).id!,
        notifications: () => {
          const sent = google.deliveries.filter((d) => d.state === 'exists');
          return { accepted: sent.filter((d) => d.status === 200).length, sent: sent.length };
        },
      },
      {
        name: 'Microsoft',
        proId: 'bench-pro-microsoft',
        consent: (authorizeUrl) => graphConsent(graph, authorizeUrl),
        subscribed: () => graph.subscriptions().length === 1,
        // A Graph event's UID is its id: only our own copies carry another.
        change: (n, at) =>
          graph.asUser.create(null, {
            subject: `change ${n}`,
            start: { dateTime: new Date(at).toISOString().slice(0, 19), timeZone: 'UTC' },
            end: { dateTime: new Date(at + HOUR).toISOString().slice(0, 19), timeZone: 'UTC' },
          }).id,
        notifications: () => {
          const sent = graph.deliveries.filter((d) => d.kind === 'change');
          return { accepted: sent.filter((d) => d.status === 202).length, sent: sent.length };
        },
      },
    ];

    const measure = async (source: PushSource): Promise<number[]> => {
      await call(availabilityUrl, 'PUT', `/v1/pros/${source.proId}`, {
        timeZone: 'Europe/Amsterdam',
        territoryId: 'nl-utrecht',
        homeLocation: { lat: 52.09, lng: 5.12 },
        services: [
          {
            serviceId: 'wound-care',
            durationMinutes: 45,
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 15,
          },
        ],
        weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '18:00' }],
        minNoticeMinutes: 0,
      });
      const started = await call(connectorUrl, 'POST', `/v1/pros/${source.proId}/connections`, {
        provider: source.name.toLowerCase(),
      });
      const back = new URL(await source.consent(started.authorizeUrl as string));
      await call(connectorUrl, 'GET', back.pathname + back.search);
      await until(`the ${source.name} push subscription`, async () =>
        source.subscribed() ? true : undefined,
      );

      const first = Math.ceil(Date.now() / DAY) * DAY + 2 * DAY;
      const busyAt = async (uid: string, at: number) => {
        const from = new Date(at - DAY).toISOString();
        const to = new Date(at + DAY).toISOString();
        const answer = await call(
          availabilityUrl,
          'GET',
          `/v1/pros/${source.proId}/busy?from=${from}&to=${to}`,
        );
        return (answer.intervals as Array<{ eventUid?: string }>).some((i) => i.eventUid === uid);
      };
      const latencies: number[] = [];
      for (let n = 0; n < WARM_UP + CHANGES; n++) {
        const at = first + n * DAY + 9 * HOUR;
        const t = performance.now();
        const uid = source.change(n, at);
        for (;;) {
          if (await busyAt(uid, at)) break;
          if (performance.now() - t > 30_000)
            throw new Error(`${source.name} change ${n} never became busy`);
          await new Promise((r) => setTimeout(r, 5));
        }
        if (n >= WARM_UP) latencies.push(performance.now() - t);
      }
      return latencies.sort((a, b) => a - b);
    };

    for (const source of sources) {
      const latencies = await measure(source);
      const { accepted, sent } = source.notifications();
      console.log(
        `${source.name.padEnd(9)} change → busy in availability (${CHANGES} changes, push)   p50 ${percentile(latencies, 0.5)} ms   p95 ${percentile(latencies, 0.95)} ms   max ${percentile(latencies, 1)} ms   (budget p95 ≤ 1,000 ms)`,
      );
      console.log(`          change notifications accepted: ${accepted} of ${sent}`);
    }
  } finally {
    for (const { child } of children.reverse()) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
    await google.stop();
    await graph.stop();
    await ca.remove();
    for (const schema of schemas) await ctx.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const context of ['connector', 'sync', 'availability', 'booking'] as const)
      await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
    await ctx.cleanup();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
