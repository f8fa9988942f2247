import {
  createPool,
  DEAD_LETTER_HEADERS,
  ProjectionRunner,
  type ProjectionDefinition,
} from '@cs/eventing';
import {
  type CalDavServerHandle,
  eventually,
  expectStatus,
  type NatsServerHandle,
  type PostgresServerHandle,
  startCalDavServer,
  startNatsServer,
  startPostgresServer,
  startSystem,
  SYSTEM_SERVICES,
  type System,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulesProjection } from '../../services/availability/src/infrastructure/read-model/schedules.projection';
import { territoriesProjection } from '../../services/availability/src/infrastructure/territories.projection';
import { scheduleInputsProjection } from '../../services/booking/src/infrastructure/schedule-inputs.projection';
import {
  at,
  bookingIdOf,
  bookingUid,
  calendarItems,
  clientEmail,
  connectCalDav,
  invitations,
  people,
  proEmail,
  registerClient,
  setUpPro,
  setUpTerritory,
  upcomingWeekday,
  waitForSlots,
  type People,
} from './support/scenario';
import { BookingTraffic, CalendarTraffic, type ProCalendar } from './support/traffic';

const PROS = ['pro-a', 'pro-b', 'pro-c'];
const CLIENTS = Array.from({ length: 8 }, (_, i) => `client-${i}`);
const DAYS = [0, 1, 2, 3, 4].map((n) => upcomingWeekday(7 + n));
const MINUTE = 60_000;
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BookingView {
  bookingId: string;
  status: string;
  start: string;
  end: string;
  proIds: string[];
}

// This file restarts NATS and PostgreSQL: it runs its own, so other test files never notice.
let postgres: PostgresServerHandle;
let nats: NatsServerHandle;
let system: System;
let who: People;
const calendars: Array<ProCalendar & { connectionId: string }> = [];
const ownCalDav: CalDavServerHandle[] = [];
let bookings: BookingTraffic;
let changes: CalendarTraffic;
/** Every booking as the booking service shows it once the system has settled. */
let final: BookingView[];

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgresServer(), startNatsServer()]);
  system = await startSystem({ databaseUrl: postgres.url, natsUrl: nats.url });
  who = await people(system);

  await setUpTerritory(system, who);
  for (const proId of PROS) {
    await setUpPro(system, who, proId);
    // Each Pro has a CalDAV account of their own; the first uses the system's server.
    const caldav =
      calendars.length === 0
        ? system.caldav
        : await startCalDavServer('radicale', {
            credentials: { username: proId, password: `pw-${proId}` },
          });
    if (caldav !== system.caldav) ownCalDav.push(caldav);
    const { connectionId } = await connectCalDav(system, who, proId, {
      serverUrl: caldav.url,
      username: caldav.username,
      password: caldav.password,
    });
    calendars.push({ proId, caldav, connectionId });
  }
  for (const clientId of CLIENTS) await registerClient(system, who, clientId);
  for (const proId of PROS) await waitForSlots(system, who, proId, DAYS[0]!);

  const clients = await Promise.all(
    CLIENTS.map(async (clientId) => ({ clientId, token: await who.client(clientId) })),
  );
  bookings = new BookingTraffic(system, clients, PROS, DAYS);
  changes = new CalendarTraffic(calendars, DAYS);
  bookings.start(4);
  changes.start();

  // Twice round, the second time the other way: each service dies with different work in hand.
  for (const service of [...SYSTEM_SERVICES, ...[...SYSTEM_SERVICES].reverse()]) {
    await sleep(1_500);
    await system.kill(service);
    await sleep(500);
    await system.start(service);
  }
  await sleep(2_000);
  await nats.restart();
  await sleep(3_000);
  await postgres.restart('immediate');
  await sleep(3_000);

  await Promise.all([bookings.stop(), changes.stop()]);
  final = await settledBookings();
}, 240_000);

afterAll(async () => {
  await Promise.all([bookings?.stop(), changes?.stop()]);
  await system?.stop();
  await Promise.all(ownCalDav.map((caldav) => caldav.dispose()));
  await Promise.all([nats?.dispose(), postgres?.dispose()]);
}, 60_000);

/** Lists each Pro's bookings until automatic reschedules have stopped moving them. */
async function settledBookings(): Promise<BookingView[]> {
  const list = async () =>
    (
      await Promise.all(
        PROS.map((proId) =>
          expectStatus<{ items: BookingView[] }>(
            200,
            system,
            'booking',
            'GET',
            `/v1/bookings?proId=${proId}&limit=500`,
            { token: who.operator },
          ),
        ),
      )
    ).flatMap((answer) => answer.items);
  let previous = JSON.stringify(await list());
  return eventually(
    async () => {
      await sleep(2_000);
      const current = await list();
      const same = JSON.stringify(current) === previous;
      previous = JSON.stringify(current);
      if (!same) throw new Error('bookings still moving');
      return current;
    },
    90_000,
    0,
  );
}

/** What the consumers parked on the dead-letter stream, with their reasons: a fault is no reason. */
async function deadLettered(): Promise<string[]> {
  const { js, jsm, naming } = system.ctx;
  const info = await jsm.streams.info(naming.deadLetterStream);
  if (info.state.messages === 0) return [];
  const parked: string[] = [];
  const messages = await (
    await js.consumers.get(naming.deadLetterStream)
  ).fetch({
    max_messages: info.state.messages,
    expires: 5_000,
  });
  for await (const msg of messages) {
    parked.push(
      `${msg.headers?.get(DEAD_LETTER_HEADERS.consumer)}: ${msg.headers?.get(DEAD_LETTER_HEADERS.reason)}`,
    );
    if (msg.info.pending === 0) break;
  }
  return parked;
}

/** Where each consumer of these services stands, per aggregate. */
async function positions(): Promise<string> {
  const rows = [];
  for (const service of ['availability', 'booking'] as const) {
    const { rows: found } = await system.ctx.pool.query(
      `SELECT consumer, stream_id, stream_version FROM ${system.schemas[service]}.consumer_positions
        ORDER BY consumer, stream_id`,
    );
    rows.push(...found);
  }
  return JSON.stringify(rows);
}

/** A Pro's visits as `<bookingId> <start> <end>` lines, sorted: readable when they differ. */
const visits = (proId: string) =>
  final
    .filter((b) => b.proIds.includes(proId))
    .map((b) => line(b.bookingId, b.start, b.end))
    .sort();
const line = (bookingId: string, start: string, end: string) =>
  `${bookingId} ${new Date(start).toISOString()} ${new Date(end).toISOString()}`;

describe('faults during a stream of bookings and calendar changes', () => {
  it('made bookings while every service was killed and restarted, NATS restarted and PostgreSQL crashed', () => {
    expect(bookings.unexpected).toEqual([]);
    expect(bookings.unanswered).toEqual([]);
    expect(bookings.booked.length).toBeGreaterThan(10);
    expect(bookings.retries).toBeGreaterThan(0);
    expect(changes.changes).toBeGreaterThan(10);
    for (const service of SYSTEM_SERVICES) expect(system.services[service].starts).toBe(3);
  });

  it('lost and duplicated no booking: every 201 is there, once, and nothing else', () => {
    const answered = bookings.booked.map((b) => b.bookingId);
    expect(new Set(answered).size).toBe(answered.length);
    expect(final.map((b) => b.bookingId).sort()).toEqual([...answered].sort());
    for (const made of bookings.booked) {
      const shown = final.find((b) => b.bookingId === made.bookingId)!;
      expect(shown).toMatchObject({ status: 'confirmed', proIds: [made.proId] });
    }
  });

  it('never double-booked a Pro: confirmed visits keep the 15-minute gap after each other', () => {
    for (const proId of PROS) {
      const sorted = final
        .filter((b) => b.proIds.includes(proId))
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      for (let i = 1; i < sorted.length; i++) {
        const [before, after] = [sorted[i - 1]!, sorted[i]!];
        expect(
          Date.parse(after.start) - Date.parse(before.end),
          `${before.bookingId}, ${after.bookingId}`,
        ).toBeGreaterThanOrEqual(15 * MINUTE);
      }
    }
  });

  it('dead-lettered no event: every consumer waited the faults out', async () => {
    expect(await deadLettered()).toEqual([]);
  });

  it("shows each Pro's bookings as busy in availability, at their current times", async () => {
    // Automatic reschedules may move a visit to a neighbouring day.
    const from = new Date(Date.parse(at(DAYS[0]!, '00:00')) - 7 * DAY).toISOString();
    const to = new Date(Date.parse(at(DAYS.at(-1)!, '23:59')) + 7 * DAY).toISOString();
    for (const visit of final) expect(visit.start >= from && visit.end <= to).toBe(true);
    await eventually(
      async () => {
        for (const proId of PROS) {
          const answer = await expectStatus<{
            intervals: Array<{ kind: string; bookingId?: string; start: string; end: string }>;
          }>(200, system, 'availability', 'GET', `/v1/pros/${proId}/busy?from=${from}&to=${to}`, {
            token: who.operator,
          });
          const busy = answer.intervals
            .filter((i) => i.kind === 'booking')
            .map((i) => line(i.bookingId!, i.start, i.end))
            .sort();
          expect(busy).toEqual(visits(proId));
        }
      },
      30_000,
      500,
    );
  });

  it("mirrors every booking into its Pro's calendar, at its current time", async () => {
    await eventually(
      async () => {
        for (const { proId, caldav } of calendars) {
          const mirrored = (await calendarItems(caldav))
            .filter((item) => item.uid.startsWith('booking-'))
            .map((item) => line(bookingIdOf(item.uid), item.start, item.end))
            .sort();
          expect(mirrored).toEqual(visits(proId));
        }
      },
      // One mail at a time per instance, and a killed instance's claims wait out their lease.
      100_000,
      1_000,
    );
  }, 150_000);

  it('sent every notification once: one invitation to each person per booking, the latest time last', async () => {
    await eventually(
      async () => {
        const sent = invitations(system);
        for (const made of bookings.booked) {
          const shown = final.find((b) => b.bookingId === made.bookingId)!;
          for (const to of [clientEmail(made.clientId), proEmail(made.proId)]) {
            const mine = sent.filter((i) => i.uid === bookingUid(made.bookingId) && i.to === to);
            // A send cut off by a kill may be repeated, always under the same Message-ID.
            const messages = (sequence: number) =>
              new Set(mine.filter((i) => i.sequence === sequence).map((i) => i.messageId));
            expect(messages(0).size, `invitation of ${made.bookingId} to ${to}`).toBe(1);
            const sequences = [...new Set(mine.map((i) => i.sequence))];
            for (const sequence of sequences) expect(messages(sequence).size).toBe(1);
            const latest = mine.find((i) => i.sequence === Math.max(...sequences))!;
            expect(latest).toMatchObject({ method: 'REQUEST', start: shown.start });
          }
        }
      },
      // One mail at a time per instance, and a killed instance's claims wait out their lease.
      100_000,
      1_000,
    );
  }, 150_000);

  it('keeps every projection equal to a rebuild from the log', async () => {
    // Polling keeps recording sync runs; with it paused the read models come to rest.
    for (const { connectionId } of calendars)
      await expectStatus(202, system, 'sync', 'POST', `/v1/connections/${connectionId}/pause`, {
        token: who.operator,
      });
    let before = await positions();
    await eventually(
      async () => {
        await sleep(1_500);
        const now = await positions();
        const resting = now === before;
        before = now;
        expect(resting).toBe(true);
      },
      30_000,
      0,
    );
    const projections: Array<[string, ProjectionDefinition]> = [
      [system.schemas.availability, territoriesProjection],
      [system.schemas.availability, schedulesProjection],
      [system.schemas.booking, scheduleInputsProjection],
    ];
    for (const [schema, definition] of projections) {
      const pool = createPool({ databaseUrl: system.databaseUrl, schema, max: 2 });
      try {
        const { js, jsm, naming } = system.ctx;
        const runner = new ProjectionRunner(definition, { pool, js, jsm, naming });
        // At rest by positions, a last event may still be on its way: equal within a while.
        await eventually(
          async () => expect(await runner.verify(), definition.name).toMatchObject({ equal: true }),
          20_000,
          2_000,
        );
      } finally {
        await pool.end();
      }
    }
  }, 120_000);
});
