/**
 * The system at the scale data set's size (issue 16), each figure beside its floor measured in
 * the same run. Run: npm run bench:scale [-- --growth 1000,2500,5000,10000]
 * Without --growth it measures the data set `npm run bench:data` wrote; with it, it writes and
 * measures each size in turn. Figures are kept per size in tmp/bench-scale/results.json; the
 * growth table and tmp/bench-scale/scale.png are drawn from every size measured so far.
 * BENCH_CPU_PROF=<folder> makes each service write a V8 CPU profile there when it stops.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProjectionRunner } from '@cs/eventing';
import { signTestToken } from '@cs/platform';
import { Pool } from 'pg';
import { REPO_ROOT, spawnTs, waitForExit } from '../../libs/testing/src/child-process';
import { DATABASE_URL, ensureInfrastructure } from '../../libs/testing/src/infrastructure';
import { schedulesProjection } from '../../services/availability/src/infrastructure/read-model/schedules.projection';
import { growthTable, type SizeFigures } from './growth';
import { measureAvailability } from './measure-availability';
import { measureBooking } from './measure-booking';
import { conflictsConsumerRate, consumerFloorRate } from './measure-conflicts';
import { measureSyncRound } from './measure-sync-round';
import { drawScalePlot } from './scale-plot';
import { jetStreamDeliveryFloor } from './rebuild-floor';
import { parseScaleArgs } from './scale-args';
import {
  connectBus,
  dropScaleData,
  openSchema,
  SCALE_META_TABLE,
  SCALE_SCHEMAS,
} from './scale-env';
import { caughtUp, SECRET, startService } from './scale-services';

const OUT = resolve(REPO_ROOT, 'tmp/bench-scale');
const READ_STREAMS = ['availability', 'sync', 'booking'] as const;

async function generate(pros: number, seed: number): Promise<void> {
  const child = spawnTs('bench/scale/generate.ts', {}, [
    '--pros',
    String(pros),
    '--seed',
    String(seed),
  ]);
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  if ((await waitForExit(child)) !== 0) throw new Error(`bench:data --pros ${pros} failed`);
}

async function measure(admin: Pool): Promise<SizeFigures> {
  const { rows } = await admin.query<{ pros: number; events: string }>(
    `SELECT pros, events FROM ${SCALE_META_TABLE}`,
  );
  const pros = rows[0]!.pros;
  const events = Number(rows[0]!.events);
  const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
  const bus = await connectBus();
  try {
    console.log(`\n— ${pros.toLocaleString('en')} Pros, ${events.toLocaleString('en')} events`);
    const availability = await startService('availability');
    let figures;
    try {
      const catchUp = await caughtUp(
        bus.jsm,
        bus.naming,
        [...READ_STREAMS],
        ['projection_schedules_', 'projection_territories_'],
      );
      console.log(`availability caught up from sequence 1 in ${catchUp.toFixed(1)} s`);
      figures = await measureAvailability(availability, token, pros);
      console.log(figures);
    } finally {
      await availability.stop();
    }

    const read = await openSchema(SCALE_SCHEMAS.availability);
    let rebuild;
    try {
      const runtime = { pool: read.pool, js: bus.js, jsm: bus.jsm, naming: bus.naming };
      rebuild = await new ProjectionRunner(schedulesProjection, runtime).rebuild();
    } finally {
      await read.dataSource.destroy();
    }
    const delivery = await jetStreamDeliveryFloor(bus.js, bus.jsm, bus.naming, [...READ_STREAMS]);
    console.log({ rebuild, delivery });

    const booking = await startService('booking');
    let booked;
    let conflictsPerSecond;
    try {
      await caughtUp(bus.jsm, bus.naming, [...READ_STREAMS], ['projection_schedule_inputs_']);
      conflictsPerSecond = await conflictsConsumerRate(bus.jsm, bus.naming);
      booked = await measureBooking(booking, token, pros);
    } finally {
      await booking.stop();
    }
    const bookingSchema = await openSchema(SCALE_SCHEMAS.booking);
    let consumerFloorPerSecond;
    try {
      consumerFloorPerSecond = await consumerFloorRate({ pool: bookingSchema.pool, ...bus });
    } finally {
      await bookingSchema.dataSource.destroy();
    }
    console.log({ conflictsPerSecond, consumerFloorPerSecond });
    const round = await measureSyncRound();
    console.log(round);
    return {
      pros,
      events,
      rebuildPerSecond: rebuild.eventsPerSecond,
      rebuildSeconds: rebuild.seconds,
      deliveryFloorPerSecond: delivery.eventsPerSecond,
      availabilityPerSecond: figures.perSecond,
      availabilityP99: figures.p99,
      availabilityCpuMs: figures.cpuMsPerRequest,
      httpFloorPerSecond: figures.floorPerSecond,
      httpFloorP99: figures.floorP99,
      searchP50: figures.searchP50,
      searchPros: figures.searchPros,
      bookingPerSecond: booked.perSecond,
      bookingP99: booked.p99,
      raceCreated: booked.raceCreated,
      raceRefused: booked.raceRefused,
      availabilityRssMiB: figures.rssMiB,
      bookingRssMiB: booked.rssMiB,
      conflictsPerSecond,
      consumerFloorPerSecond,
      syncRoundCalendars: round.calendars,
      syncRoundCpuSeconds: round.cpuSeconds,
      syncRoundEmulatorCpuSeconds: round.emulatorCpuSeconds,
      syncRoundSeconds: round.roundSeconds,
    };
  } finally {
    await bus.nc.drain();
  }
}

function report(f: SizeFigures): void {
  const n = (v: number, digits = 0) => v.toLocaleString('en', { maximumFractionDigits: digits });
  const lines = [
    `read-model rebuild from sequence 1   ${n(f.rebuildPerSecond)} events/s   floor (JetStream delivery, explicit acks) ${n(f.deliveryFloorPerSecond)} events/s   ×${(f.rebuildPerSecond / f.deliveryFloorPerSecond).toFixed(2)}   target ≥ 60,000`,
    `availability, one Pro × 30 days      ${n(f.availabilityPerSecond)} req/s p99 ${n(f.availabilityP99, 1)} ms (${n(f.availabilityCpuMs, 2)} ms CPU each)   floor (bare Node server) ${n(f.httpFloorPerSecond)} req/s p99 ${n(f.httpFloorP99, 1)} ms   ×${(f.availabilityPerSecond / f.httpFloorPerSecond).toFixed(2)}   target ≥ 5,000 req/s, p99 ≤ 20 ms`,
    `territory search, ${n(f.searchPros)} Pros, one day   p50 ${n(f.searchP50, 1)} ms   target ≤ 50 ms`,
    `booking                              ${n(f.bookingPerSecond)} confirmed/s p99 ${n(f.bookingP99, 1)} ms   target ≥ 1,000/s, p99 ≤ 50 ms`,
    `200 callers on one slot              ${f.raceCreated} × 201, ${f.raceRefused} × 409`,
    `external-conflicts consumer          ${n(f.conflictsPerSecond ?? NaN)} events/s   floor (durable consumer doing nothing) ${n(f.consumerFloorPerSecond ?? NaN)} events/s   ×${((f.conflictsPerSecond ?? NaN) / (f.consumerFloorPerSecond ?? NaN)).toFixed(2)}`,
    `sync round, ${n(f.syncRoundCalendars ?? NaN)} calendars, no changes   ${n(f.syncRoundCpuSeconds ?? NaN, 1)} s CPU (sync + connector) in ${n(f.syncRoundSeconds ?? NaN, 1)} s; the emulator ${n(f.syncRoundEmulatorCpuSeconds ?? NaN, 1)} s CPU   target ≤ 2 s CPU`,
    `memory (RSS)                         availability ${n(f.availabilityRssMiB)} MiB, booking ${n(f.bookingRssMiB)} MiB`,
  ];
  for (const line of lines) console.log(line);
}

async function main(): Promise<void> {
  const args = parseScaleArgs(process.argv.slice(2));
  await ensureInfrastructure();
  mkdirSync(OUT, { recursive: true });
  const file = resolve(OUT, 'results.json');
  const saved: Record<string, SizeFigures> = (() => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, SizeFigures>;
    } catch {
      return {};
    }
  })();
  const admin = new Pool({ connectionString: DATABASE_URL, max: 2 });
  try {
    for (const size of args.growth.length ? args.growth : [0]) {
      if (size > 0) await generate(size, args.seed);
      const figures = await measure(admin);
      report(figures);
      saved[figures.pros] = figures;
      writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
    }
    const sizes = Object.values(saved).sort((a, b) => a.pros - b.pros);
    console.log(`\n${growthTable(sizes)}`);
    const png = resolve(OUT, 'scale.png');
    writeFileSync(png, drawScalePlot(sizes));
    console.log(`plot: ${png}`);
    if (args.growth.length) await dropScaleData(admin);
  } finally {
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
