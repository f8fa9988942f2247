import { randomBytes } from 'node:crypto';
import { BusNaming, contexts } from '@cs/contracts';
import { connectNats, deleteStreams } from '@cs/eventing';
import { signTestToken } from '@cs/platform';
import { jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import { startGoogleCalendarEmulator } from '../../libs/testing/src/emulators/google/google-calendar-emulator';
import { DATABASE_URL, NATS_URL } from '../../libs/testing/src/infrastructure';
import { googleConsent, googleEnv } from '../../services/sync/test/support/provider-emulators';
import { cpuSeconds } from './process-stats';
import { SECRET, startService } from './scale-services';

/** Calendars polled in one round (issue 16): 2,000, each a Pro's Google calendar. */
export const ROUND_CALENDARS = 2_000;
const EVENTS_PER_CALENDAR = 20;
const CONNECTING_AT_ONCE = 8;
/** Its own schemas and prefix: the round neither reads nor adds to the scale data set. */
const SCHEMAS = { connector: 'bench_round_connector', sync: 'bench_round_sync' } as const;
const PREFIX = 'benchround';

export interface SyncRoundFigures {
  calendars: number;
  /** CPU seconds of the sync and connector services for one round with no changes. */
  cpuSeconds: number;
  syncCpuSeconds: number;
  connectorCpuSeconds: number;
  /** CPU seconds of the emulator (in this process) answering the round: the floor's part. */
  emulatorCpuSeconds: number;
  roundSeconds: number;
}

const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * 2,000 Google calendars (the emulator of the tests, in this process) connected through the
 * connector's consent flow and synced once; then every one made due at once and polled with no
 * change. Reports the CPU the services spent on that round.
 */
export async function measureSyncRound(calendars = ROUND_CALENDARS): Promise<SyncRoundFigures> {
  const admin = new Pool({ connectionString: DATABASE_URL, max: 1 });
  const drop = async () => {
    for (const schema of Object.values(SCHEMAS))
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  };
  await drop();
  const google = await startGoogleCalendarEmulator();
  const day = Date.UTC(2027, 5, 7, 9);
  for (let e = 0; e < EVENTS_PER_CALENDAR; e++)
    google.asUser.insert('primary', {
      summary: `event ${e}`,
      start: { dateTime: new Date(day + e * 86_400_000).toISOString() },
      end: { dateTime: new Date(day + e * 86_400_000 + 3_600_000).toISOString() },
    });
  const common = { NATS_PREFIX: PREFIX, SYNC_POLL_INTERVAL_MS: '3600000' };
  // The consent answer is followed against the connector's own origin, whatever host it names.
  const connector = await startService('connector', {
    ...common,
    DB_SCHEMA: SCHEMAS.connector,
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ...googleEnv(google, 'http://127.0.0.1'),
  });
  const sync = await startService('sync', { ...common, DB_SCHEMA: SCHEMAS.sync });
  try {
    const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
    const call = async (path: string, init: RequestInit = {}) => {
      const answer = await fetch(`${connector.origin}${path}`, {
        ...init,
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      const text = await answer.text();
      if (answer.status >= 400) throw new Error(`${path}: ${answer.status} ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    const pros = Array.from({ length: calendars }, (_, i) => `round-${i}`);
    await Promise.all(
      Array.from({ length: CONNECTING_AT_ONCE }, async () => {
        for (let pro = pros.shift(); pro; pro = pros.shift()) {
          const started = await call(`/v1/pros/${pro}/connections`, {
            method: 'POST',
            body: JSON.stringify({ provider: 'google' }),
          });
          const back = new URL(await googleConsent(started.authorizeUrl as string));
          await call(back.pathname + back.search);
        }
      }),
    );
    let mark = new Date(0);
    const synced = async () => {
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${SCHEMAS.sync}.sync_calendars WHERE last_synced_at IS NOT NULL AND last_synced_at >= $1`,
        [mark],
      );
      return Number(rows[0]!.n) >= calendars;
    };
    await until('the first sync of every calendar', synced, 600_000);
    // A quiet moment, then every calendar due at once: the round.
    await new Promise((r) => setTimeout(r, 3_000));
    const before = {
      sync: cpuSeconds(sync.child.pid),
      connector: cpuSeconds(connector.child.pid),
      emulator: processCpu(),
    };
    const started = performance.now();
    mark = (
      await admin.query<{ now: Date }>(
        `UPDATE ${SCHEMAS.sync}.sync_calendars SET next_sync_at = now() RETURNING now()`,
      )
    ).rows[0]!.now;
    await until('the round', synced, 600_000);
    const roundSeconds = (performance.now() - started) / 1000;
    const syncCpu = cpuSeconds(sync.child.pid) - before.sync;
    const connectorCpu = cpuSeconds(connector.child.pid) - before.connector;
    return {
      calendars,
      cpuSeconds: syncCpu + connectorCpu,
      syncCpuSeconds: syncCpu,
      connectorCpuSeconds: connectorCpu,
      emulatorCpuSeconds: processCpu() - before.emulator,
      roundSeconds,
    };
  } finally {
    await sync.stop();
    await connector.stop();
    await google.stop();
    await drop();
    await admin.end();
    const bus = await connectNats({ natsUrl: NATS_URL, name: 'bench-round' });
    await deleteStreams(await jetstreamManager(bus), new BusNaming(PREFIX), contexts).catch(
      () => undefined,
    );
    await bus.drain();
  }
}
