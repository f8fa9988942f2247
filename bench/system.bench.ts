/**
 * The whole system under a mixed load. Run: npm run bench:system
 * Starts the five services as processes with the system launcher (own schemas and NATS prefix
 * on the local PostgreSQL and NATS, a CalDAV server and a mail catcher), sets up a territory and
 * Pros through the APIs, then lets concurrent clients book and ask for availability for a fixed
 * time, and prints latency (p50/p99), throughput and errors per operation, and how long the
 * invitations took to reach the mail catcher after the load stopped.
 * With --cluster (npm run bench:system -- --cluster), the same load then runs again on three
 * nats-servers with R3 streams and two instances of every service; it prints both runs and their
 * ratio, then kills the booking stream's leader BENCH_LEADER_KILLS times under a trickle of
 * bookings and prints the time from each kill until the survivors had elected a new leader and
 * until the stream stored the system's next event (its stored time, not when a poll saw it).
 * BENCH_SECONDS (30), BENCH_CLIENTS (16), BENCH_PROS (20), BENCH_BOOKING_SHARE (0.3),
 * BENCH_LEADER_KILLS (3).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
// The Jest-free parts of the test helpers.
import { ensureInfrastructure } from '../libs/testing/src/infrastructure';
import { startNatsCluster, type NatsClusterHandle } from '../libs/testing/src/nats-cluster';
import { startSystem, type System } from '../libs/testing/src/system/system';
import { callService, expectStatus } from '../libs/testing/src/system/system-http';
import { UNLIMITED_CALLER } from './support/service-env';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const PROS = Number(process.env.BENCH_PROS ?? 20);
const BOOKING_SHARE = Number(process.env.BENCH_BOOKING_SHARE ?? 0.3);
/** With --cluster: how often the booking stream's leader is killed after the cluster's load. */
const KILLS = Number(process.env.BENCH_LEADER_KILLS ?? 3);
const DAY = 86_400_000;
const SERVICE = 'visit';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Forty weekdays from the day after tomorrow, inside the 60-day horizon, as UTC dates. */
function bookingDays(): string[] {
  const days: string[] = [];
  for (let day = Date.now() + 2 * DAY; days.length < 40; day += DAY)
    if (![0, 6].includes(new Date(day).getUTCDay()))
      days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/** Quarter hours a 45-minute visit can start at inside 08:00–18:00 UTC. */
const STARTS = Array.from({ length: 37 }, (_, i) => {
  const minutes = 8 * 60 + i * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
});

const settings = {
  timeZone: 'UTC',
  territoryId: 'bench',
  services: [
    { serviceId: SERVICE, durationMinutes: 45, bufferBeforeMinutes: 0, bufferAfterMinutes: 15 },
  ],
  weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '18:00' }],
  minNoticeMinutes: 60,
  horizonDays: 60,
  slotStepMinutes: 15,
  worksOnHolidays: true,
};

class Operation {
  readonly latencies: number[] = [];
  ok = 0;
  refused = 0;
  readonly errors = new Map<string, number>();

  record(ms: number, outcome: 'ok' | 'refused' | string): void {
    this.latencies.push(ms);
    if (outcome === 'ok') this.ok++;
    else if (outcome === 'refused') this.refused++;
    else this.errors.set(outcome, (this.errors.get(outcome) ?? 0) + 1);
  }

  line(name: string, seconds: number): string {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
    const errors = [...this.errors.values()].reduce((a, b) => a + b, 0);
    const detail = errors
      ? ` (${[...this.errors].map(([what, n]) => `${n} × ${what}`).join(', ')})`
      : '';
    return `${name.padEnd(13)} ${String(sorted.length).padStart(6)} requests  ${(sorted.length / seconds).toFixed(0).padStart(5)} req/s  p50 ${at(0.5).toFixed(1).padStart(6)} ms  p99 ${at(0.99).toFixed(1).padStart(6)} ms  ok ${this.ok}  refused ${this.refused}  errors ${errors}${detail}`;
  }
}

async function setUp(system: System, token: string, proIds: string[], clientIds: string[]) {
  await expectStatus(200, system, 'availability', 'PUT', '/v1/territories/bench', {
    token,
    body: { timeZone: 'UTC', holidayRegion: 'NL' },
  });
  const bulk = async () => {
    const answer = await expectStatus<{ results: Array<{ status: string }> }>(
      200,
      system,
      'availability',
      'POST',
      '/v1/bulk/pros',
      { token, body: { items: proIds.map((proId) => ({ proId, settings })) } },
    );
    return answer.results.every((r) => r.status === 'applied' || r.status === 'unchanged');
  };
  // The territory reaches the read model that validates Pro settings a moment after its event.
  for (let i = 0; !(await bulk()); i++) {
    if (i === 100) throw new Error('the Pros could not be set up');
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const [kind, ids] of [
    ['pro', proIds],
    ['client', clientIds],
  ] as const)
    for (const id of ids)
      await expectStatus(200, system, 'notification', 'PUT', `/v1/contacts/${kind}/${id}`, {
        token,
        body: { name: id, email: `${id}@bench.example`, locale: 'en', timeZone: 'UTC' },
      });
}

/** Books until the booking service knows the last Pro (it learns settings from the bus), then cancels. */
async function waitUntilBookable(system: System, token: string, proId: string, day: string) {
  for (let i = 0; i < 300; i++) {
    const answer = await callService<{ bookingId: string }>(
      system,
      'booking',
      'POST',
      '/v1/bookings',
      {
        token,
        body: {
          serviceId: SERVICE,
          proId,
          start: `${day}T17:15:00Z`,
          client: { clientId: 'probe' },
        },
      },
    );
    if (answer.status === 201) {
      await expectStatus(
        200,
        system,
        'booking',
        'POST',
        `/v1/bookings/${answer.body.bookingId}/cancel`,
        {
          token,
          body: { reason: 'bench probe' },
        },
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`booking never accepted ${proId}`);
}

interface LoadResult {
  booking: Operation;
  availability: Operation;
  invitations: string;
  errorsLogged: string[];
}

/** Sets the Pros up, runs the mixed load for SECONDS and waits for the invitations it caused. */
async function mixedLoad(system: System): Promise<LoadResult> {
  const token = await system.token({ sub: 'bench', roles: ['service'] });
  const proIds = Array.from({ length: PROS }, (_, i) => `bench-pro-${i}`);
  const clientIds = Array.from({ length: CLIENTS * 4 }, (_, i) => `bench-client-${i}`);
  const days = bookingDays();
  await setUp(system, token, proIds, clientIds);
  await waitUntilBookable(system, token, proIds.at(-1)!, days[0]!);
  // The clients' invitations: the probe's client has no contact, so gets none.
  const invitations = () =>
    system.smtp.delivered.filter(
      (mail) =>
        mail.calendar?.method === 'REQUEST' &&
        mail.envelopeTo.some((to) => to.startsWith('bench-client-')),
    ).length;

  const booking = new Operation();
  const availability = new Operation();
  let booked = 0;
  const deadline = performance.now() + SECONDS * 1_000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const proId = pick(proIds);
        const day = pick(days);
        const began = performance.now();
        if (Math.random() < BOOKING_SHARE) {
          const answer = await callService(system, 'booking', 'POST', '/v1/bookings', {
            token,
            headers: { 'idempotency-key': randomUUID() },
            body: {
              serviceId: SERVICE,
              proId,
              start: `${day}T${pick(STARTS)}`,
              client: { clientId: pick(clientIds), timeZone: 'UTC', locale: 'en' },
            },
          });
          if (answer.status === 201) booked++;
          booking.record(
            performance.now() - began,
            answer.status === 201
              ? 'ok'
              : answer.status === 409
                ? 'refused'
                : `HTTP ${answer.status}`,
          );
        } else {
          const answer = await callService(
            system,
            'availability',
            'GET',
            `/v1/pros/${proId}/availability?serviceId=${SERVICE}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`,
            { token },
          );
          availability.record(
            performance.now() - began,
            answer.status === 200 ? 'ok' : `HTTP ${answer.status}`,
          );
        }
      }
    }),
  );
  const loadEnded = performance.now();
  const duringLoad = invitations();
  while (invitations() < booked && performance.now() - loadEnded < 60_000)
    await new Promise((r) => setTimeout(r, 100));
  const catchUp = (performance.now() - loadEnded) / 1_000;
  const mailed = invitations();
  return {
    booking,
    availability,
    errorsLogged: loggedErrors(system),
    invitations:
      `client invitations: ${duringLoad} of ${booked} mailed during the load, ${mailed} after another ${catchUp.toFixed(1)} s ` +
      `(≈ ${(mailed / (SECONDS + catchUp)).toFixed(1)} per second, each with the Pro's copy)`,
  };
}

/** What the services logged as errors (distinct messages, a few each), to say why a request failed. */
function loggedErrors(system: System): string[] {
  const seen = new Set<string>();
  for (const process_ of Object.values(system.instances).flat())
    for (const line of process_.output().split('\n'))
      if (line.includes('"level":"error"') || line.includes('"level":"fatal"'))
        seen.add(`${process_.name}: ${line.slice(0, 600)}`);
  return [...seen].slice(0, 10);
}

function report(title: string, result: LoadResult): void {
  console.log(`\n${title}`);
  console.log(result.booking.line('booking', SECONDS));
  console.log(result.availability.line('availability', SECONDS));
  console.log(result.invitations);
  for (const line of result.errorsLogged) console.log(`logged: ${line}`);
}

const SYSTEM_ENV = {
  LOG_LEVEL: 'error',
  DB_POOL_SIZE: '10',
  ...UNLIMITED_CALLER,
};

async function singleNode(): Promise<LoadResult> {
  console.log(`starting the system (five services, Radicale, mail catcher)…`);
  const system = await startSystem({ env: SYSTEM_ENV });
  try {
    return await mixedLoad(system);
  } finally {
    await system.stop();
  }
}

/** The deployed shape: three nats-servers, R3 streams, two instances per service. */
async function cluster(): Promise<{ result: LoadResult; failovers: Failover[] }> {
  console.log(`starting a 3-server JetStream cluster and two instances of every service…`);
  const nats = await startNatsCluster();
  try {
    const system = await startSystem({
      env: SYSTEM_ENV,
      natsUrl: nats.url,
      instances: 2,
      replicas: 3,
    });
    try {
      const result = await mixedLoad(system);
      return { result, failovers: await failovers(nats, system) };
    } finally {
      await system.stop();
    }
  } finally {
    await nats.dispose();
  }
}

interface Failover {
  /** ms from the kill until a surviving server knows another leader of the stream. */
  elected: number;
  /** ms from the kill until the stream stored the system's next event: the first publish that succeeded. */
  stored: number;
}

/** ms from `since` until a surviving server names a leader other than the killed one. */
async function electionAfter(
  nats: NatsClusterHandle,
  stream: string,
  killed: number,
  since: number,
): Promise<number> {
  const survivor = (killed + 1) % nats.servers.length;
  while (Date.now() - since < 60_000) {
    const leader = await nats.leaderSeenBy(survivor, stream);
    if (leader && leader !== nats.servers[killed]!.name) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${stream} elected no leader for 60 s`);
}

/** ms from `since` until the stream stored a message after `before`, by the time it was stored. */
async function storedAfter(system: System, stream: string, before: number, since: number) {
  const { jsm } = system.ctx;
  let seq = before + 1;
  while (Date.now() - since < 60_000) {
    const info = await jsm.streams.info(stream).catch(() => undefined);
    for (; info && seq <= info.state.last_seq; seq++) {
      // A publish in flight at the kill may have been stored just before it.
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message && message.time.getTime() >= since) return message.time.getTime() - since;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${stream} stored nothing for 60 s`);
}

/**
 * After the load, one client keeps booking while the server leading the booking stream is killed
 * KILLS times (restarted in between): the ms from each kill until a new leader is elected, and
 * until the stream stores the system's next event, the relay's first publish that succeeds.
 */
async function failovers(nats: NatsClusterHandle, system: System): Promise<Failover[]> {
  const token = await system.token({ sub: 'bench', roles: ['service'] });
  const days = bookingDays();
  let booking = true;
  const trickle = (async () => {
    while (booking) {
      await callService(system, 'booking', 'POST', '/v1/bookings', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: {
          serviceId: SERVICE,
          proId: pick(Array.from({ length: PROS }, (_, i) => `bench-pro-${i}`)),
          start: `${pick(days)}T${pick(STARTS)}`,
          client: { clientId: 'failover' },
        },
      });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const stream = system.ctx.naming.stream('booking');
  const measured: Failover[] = [];
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 2_000));
      const leader = await nats.leaderOf(stream);
      const before = (await system.ctx.jsm.streams.info(stream)).state.last_seq;
      const killed = Date.now();
      await nats.kill(leader);
      const [elected, stored] = await Promise.all([
        electionAfter(nats, stream, leader, killed),
        storedAfter(system, stream, before, killed),
      ]);
      measured.push({ elected, stored });
      await nats.restart(leader);
    }
  } finally {
    booking = false;
    await trickle;
  }
  return measured;
}

async function main(): Promise<void> {
  await ensureInfrastructure();
  const withCluster = process.argv.includes('--cluster');
  const single = await singleNode();
  const header = `mixed load for ${SECONDS} s: ${CLIENTS} concurrent clients, ${PROS} Pros, ${Math.round(BOOKING_SHARE * 100)} % bookings (409 = slot taken, counted as refused)`;
  report(`${header}\none nats-server, one instance per service`, single);
  if (!withCluster) return;
  const { result, failovers } = await cluster();
  report('three nats-servers (R3 streams), two instances per service', result);
  const rate = (r: LoadResult, op: 'booking' | 'availability') => r[op].latencies.length / SECONDS;
  const ratio = (op: 'booking' | 'availability') =>
    (rate(result, op) / rate(single, op)).toFixed(2);
  console.log(
    `\ncluster / single node: booking ${ratio('booking')}× the requests per second, availability ${ratio('availability')}×`,
  );
  console.log(
    `booking stream's leader killed ${KILLS} times under a trickle of bookings; ` +
      `kill → new leader elected: ${failovers.map((f) => `${f.elected} ms`).join(', ')}; ` +
      `kill → next event stored: ${failovers.map((f) => `${f.stored} ms`).join(', ')}`,
  );
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
