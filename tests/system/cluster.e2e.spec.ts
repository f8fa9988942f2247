import {
  eventually,
  type NatsClusterHandle,
  type PostgresServerHandle,
  startNatsCluster,
  startPostgresServer,
  startSystem,
  SYSTEM_SERVICES,
  type System,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bookingUid,
  clientEmail,
  invitations,
  people,
  proEmail,
  upcomingWeekday,
  type People,
} from './support/scenario';
import {
  type BookingView,
  deadLettered,
  expectExactlyTheBooked,
  expectNoDoubleBooking,
  expectProjectionsEqualRebuilds,
  settledBookings,
  systemProjections,
} from './support/settled';
import { SteadyLoad } from './support/steady-load';
import { CalendarTraffic } from './support/traffic';
import { type Cast, setUpCast } from './support/cast';

const PROS = ['pro-a', 'pro-b', 'pro-c'];
const CLIENTS = Array.from({ length: 8 }, (_, i) => `client-${i}`);
// Enough distinct weekdays that free slots last the whole run.
const DAYS = [...new Set(Array.from({ length: 16 }, (_, n) => upcomingWeekday(7 + n)))];
const INSTANCES = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DATABASE_CRASH = 'PostgreSQL crash and restart';
const EPOCH = 1;

// The deployed shape: three JetStream servers, R3 streams, two processes of every service, and
// a PostgreSQL of this file's own, so that restarting it disturbs no other test file.
let postgres: PostgresServerHandle;
let nats: NatsClusterHandle;
let system: System;
let who: People;
let cast: Cast | undefined;
let load: SteadyLoad;
let changes: CalendarTraffic;
const faults: string[] = [];
let final: BookingView[];
let servedBefore: Served[];
const retriesBeforeEpoch = new Map<string, number>();
let epochRollout = { seconds: 0, requests: 0 };

/** One projection's registry and the generation tables its schema holds. */
interface Served {
  projection: string;
  generations: Array<{ generation: number; epoch: number; state: string }>;
  tables: string[];
}

async function served(): Promise<Served[]> {
  const found: Served[] = [];
  for (const [schema, { name }] of systemProjections(system)) {
    const { rows: generations } = await system.ctx.pool.query(
      `SELECT generation, epoch, state FROM ${schema}.projection_generations
       WHERE projection = $1 ORDER BY generation`,
      [name],
    );
    const { rows: tables } = await system.ctx.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename ~ $2 ORDER BY 1`,
      [schema, `^proj_${name}_.+__g[0-9]+$`],
    );
    found.push({ projection: name, generations, tables: tables.map((t) => t.tablename) });
  }
  return found;
}

/** Every projection served by one generation built at the raised epoch, and only its tables left. */
async function expectRaisedEpochServedAlone(): Promise<void> {
  const now = await served();
  for (const [i, { projection, generations, tables }] of now.entries()) {
    const old = servedBefore[i]!.generations.find((g) => g.state === 'active')!;
    const active = generations.find((g) => g.state === 'active')!;
    expect({ projection, generations }).toEqual({
      projection,
      generations: [{ generation: expect.any(Number), epoch: EPOCH, state: 'active' }],
    });
    expect(active.generation).toBeGreaterThan(old.generation);
    expect({ projection, tables }).toEqual({
      projection,
      tables: tables.filter((t) => t.endsWith(`__g${active.generation}`)),
    });
    expect(tables.some((t) => t.endsWith(`__g${old.generation}`))).toBe(false);
  }
}

async function fault(what: string, act: () => Promise<void>): Promise<void> {
  faults.push(what);
  load.phase = what;
  await act();
}

/** Kills the server leading the booking stream, then (once it is back) whichever leads it next. */
async function killStreamLeaders(): Promise<void> {
  const stream = system.ctx.naming.stream('booking');
  const first = await nats.leaderOf(stream);
  await fault(`SIGKILL nats-server ${first}, leader of ${stream}`, () => nats.kill(first));
  await sleep(5_000);
  await nats.restart(first);
  await sleep(2_000);
  const next = await nats.leaderOf(stream);
  const second = next === first ? (first + 1) % nats.servers.length : next;
  await fault(`SIGKILL nats-server ${second}`, () => nats.kill(second));
  await sleep(5_000);
  await nats.restart(second);
}

async function killOneInstanceOfEach(): Promise<void> {
  await Promise.all(
    SYSTEM_SERVICES.map((service) => fault(`SIGKILL ${service}#1`, () => system.kill(service, 1))),
  );
  await sleep(1_000);
  for (const service of SYSTEM_SERVICES) await system.start(service, 1);
}

/** A deploy: each instance in turn gets SIGTERM (drains) and comes back before the next goes. */
async function rollEveryInstance(): Promise<void> {
  for (const service of SYSTEM_SERVICES)
    for (let instance = 0; instance < INSTANCES; instance++)
      await fault(`rolling restart ${service}#${instance}`, async () => {
        await system.instances[service][instance]!.kill('SIGTERM');
        await system.start(service, instance);
      });
}

/** The same deploy with `PROJECTION_EPOCH` raised: every projection builds anew beside its model. */
async function rollRaisedEpoch(): Promise<void> {
  for (const service of SYSTEM_SERVICES)
    for (let instance = 0; instance < INSTANCES; instance++)
      await fault(`PROJECTION_EPOCH=${EPOCH} deploy of ${service}#${instance}`, () =>
        system.deploy(service, instance, { PROJECTION_EPOCH: String(EPOCH) }),
      );
}

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgresServer(), startNatsCluster()]);
  system = await startSystem({
    databaseUrl: postgres.url,
    natsUrl: nats.url,
    instances: INSTANCES,
    replicas: 3,
  });
  who = await people(system);

  cast = await setUpCast(system, who, { pros: PROS, clients: CLIENTS, day: DAYS[0]! });
  load = new SteadyLoad(system, cast.clients, PROS, DAYS, { bookings: 800, pauseMs: 300 });
  changes = new CalendarTraffic(cast.calendars, DAYS);
  load.start(3);
  changes.start();

  await sleep(3_000);
  await killStreamLeaders();
  await sleep(2_000);
  await killOneInstanceOfEach();
  await sleep(2_000);
  await fault(DATABASE_CRASH, () => postgres.restart('immediate'));
  await sleep(3_000);
  await rollEveryInstance();
  await sleep(2_000);
  servedBefore = await served();
  for (const [why, n] of load.retries) retriesBeforeEpoch.set(why, n);
  const rolloutBegan = { at: performance.now(), requests: load.requests };
  await rollRaisedEpoch();
  // The load goes on until every new generation has taken over and the old ones are gone.
  await eventually(expectRaisedEpochServedAlone, 120_000, 1_000);
  epochRollout = {
    seconds: (performance.now() - rolloutBegan.at) / 1_000,
    requests: load.requests - rolloutBegan.requests,
  };
  await sleep(2_000);

  await Promise.all([load.stop(), changes.stop()]);
  final = await settledBookings(system, who, PROS);
}, 900_000);

afterAll(async () => {
  await Promise.all([load?.stop(), changes?.stop()]);
  await system?.stop();
  await Promise.all((cast?.ownCalDav ?? []).map((caldav) => caldav.dispose()));
  await Promise.all([nats?.dispose(), postgres?.dispose()]);
}, 60_000);

describe('the deployed shape: a three-server JetStream cluster and two instances of every service', () => {
  it('kept serving through server kills, instance kills, a PostgreSQL crash, a rolling restart and a projection epoch rollout', () => {
    const answered = load.booked.map((b) => b.bookingId);
    const shown = final.map((b) => b.bookingId);
    const lost = answered.filter((id) => !shown.includes(id)).length;
    const duplicated =
      answered.length - new Set(answered).size + shown.length - new Set(shown).size;
    const unasked = shown.filter((id) => !answered.includes(id)).length;
    const retries = [...load.retries].map(([why, n]) => `${n} × ${why}`).join(', ') || 'none';
    const sinceEpoch = [...load.retries]
      .map(([why, n]) => [why, n - (retriesBeforeEpoch.get(why) ?? 0)] as const)
      .filter(([, n]) => n > 0);
    const epochRetries = sinceEpoch.reduce((sum, [, n]) => sum + n, 0);
    console.log(
      [
        `cluster system test: ${load.requests} HTTP requests (${load.reads} availability reads, ` +
          `${answered.length} bookings made, ${load.taken} slots taken meanwhile), ` +
          `${changes.changes} calendar changes`,
        `faults injected: ${faults.length} (${faults.join('; ')})`,
        `retries: ${load.retried} (${retries}); lost = ${lost}, duplicated = ${duplicated}, ` +
          `not asked for = ${unasked}`,
        `epoch rollout: ${epochRollout.seconds.toFixed(0)} s until every projection served ` +
          `its new generation alone, ${epochRollout.requests} requests meanwhile; ` +
          `retries from it on: ${epochRetries} ` +
          `(${sinceEpoch.map(([why, n]) => `${n} × ${why}`).join(', ') || 'none'})`,
      ].join('\n'),
    );
    if (load.unexpected.length + load.unanswered.length + load.strange.length > 0)
      // What the services logged is what explains an answer no client should have had.
      for (const service of SYSTEM_SERVICES)
        for (const instance of system.instances[service])
          console.error(`${service} errors:\n${instance.errorLines().slice(-40).join('\n')}`);
    expect(load.unexpected).toEqual([]);
    expect(load.unanswered).toEqual([]);
    expect(load.strange).toEqual([]);
    expect(answered.length).toBeGreaterThan(10);
    expect(changes.changes).toBeGreaterThan(10);
    for (const service of SYSTEM_SERVICES)
      expect(system.instances[service].map((p) => p.starts)).toEqual([3, 4]);
  });

  it('lost and duplicated no booking: every 201 is there, once, and nothing else', () => {
    expectExactlyTheBooked(final, load.booked);
  });

  it('never double-booked a Pro: confirmed visits keep the 15-minute gap after each other', () => {
    expectNoDoubleBooking(final, PROS);
  });

  it('dead-lettered no event', async () => {
    expect(await deadLettered(system)).toEqual([]);
  });

  it('sent each person one invitation per booking (a resend after a kill keeps its Message-ID)', async () => {
    await eventually(
      async () => {
        const sent = invitations(system);
        for (const made of load.booked)
          for (const to of [clientEmail(made.clientId), proEmail(made.proId)]) {
            const first = sent.filter(
              (i) => i.uid === bookingUid(made.bookingId) && i.to === to && i.sequence === 0,
            );
            expect({
              [`invitation of ${made.bookingId} to ${to}`]: new Set(first.map((i) => i.messageId))
                .size,
            }).toEqual({ [`invitation of ${made.bookingId} to ${to}`]: 1 });
          }
      },
      100_000,
      1_000,
    );
  }, 150_000);

  it('serves every projection from the generation built at the raised epoch; the old ones are gone', async () => {
    await expectRaisedEpochServedAlone();
  });

  it('keeps every projection equal to a rebuild from the log', async () => {
    await expectProjectionsEqualRebuilds(
      system,
      who,
      cast!.calendars.map((c) => c.connectionId),
      EPOCH,
    );
  }, 120_000);
});
