/**
 * docs/design.md §7: projection catch-up of the availability read model. Publishes external calendar
 * events for 200 Pros to the sync stream, then rebuilds the `schedules` projection from
 * sequence 1 and prints events/s (budget ≥ 20,000).
 */
import { randomUUID } from 'node:crypto';
import { eventRegistry } from '@cs/contracts';
import { ProjectionRunner } from '@cs/eventing';
import { availabilityMigrations } from '../services/availability/src/infrastructure/migrations';
import { schedulesProjection } from '../services/availability/src/infrastructure/read-model/schedules.projection';
// The Jest-free part of the test helpers: a schema and stream prefix of the bench's own.
import { ensureInfrastructure } from '../libs/testing/src/infrastructure';
import { createTestContext } from '../libs/testing/src/test-context';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
const PROS = 200;
const HOUR = 3_600_000;

async function main(): Promise<void> {
  await ensureInfrastructure();
  const ctx = await createTestContext({
    streams: ['availability', 'sync', 'booking'],
    migrations: availabilityMigrations,
  });
  try {
    const base = Date.UTC(2027, 0, 4, 8);
    const now = new Date().toISOString();
    const publishes: Promise<unknown>[] = [];
    for (let n = 0; n < EVENTS; n++) {
      const proId = `pro-${n % PROS}`;
      const start = base + Math.floor(n / PROS) * 2 * HOUR;
      const envelope = eventRegistry.parse({
        id: randomUUID(),
        type: 'calendar.event_upserted',
        schemaVersion: 1,
        streamId: `calendar-${proId}`,
        streamVersion: Math.floor(n / PROS) + 1,
        occurredAt: now,
        recordedAt: now,
        correlationId: randomUUID(),
        causationId: null,
        actor: { kind: 'system', id: 'bench' },
        data: {
          proId,
          calendarId: `cal-${proId}`,
          eventUid: `evt-${n}`,
          recurrenceId: null,
          start: new Date(start).toISOString(),
          end: new Date(start + HOUR).toISOString(),
          allDay: false,
          status: 'confirmed',
          transparent: false,
          declinedByPro: false,
          rrule: null,
          exdates: [],
          timeZone: 'Europe/Amsterdam',
          location: null,
          bookingId: null,
        },
      });
      const subject = ctx.naming.subject('sync', envelope.type, proId);
      publishes.push(ctx.js.publish(subject, JSON.stringify(envelope), { msgID: envelope.id }));
      if (publishes.length >= 2_000) await Promise.all(publishes.splice(0));
    }
    await Promise.all(publishes);
    const runtime = { pool: ctx.pool, js: ctx.js, jsm: ctx.jsm, naming: ctx.naming };
    const report = await new ProjectionRunner(schedulesProjection, runtime).rebuild();
    console.log(
      `availability read model catch-up from sequence 1: ${Math.round(report.eventsPerSecond).toLocaleString('en')} events/s (${report.events} events in ${report.seconds.toFixed(2)} s; budget ≥ 20,000)`,
    );
  } finally {
    await ctx.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
