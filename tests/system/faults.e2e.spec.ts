import { bodyOf } from '@cs/client';
import {
  eventually,
  type NatsServerHandle,
  type PostgresServerHandle,
  startNatsServer,
  startPostgresServer,
  startSystem,
  SYSTEM_SERVICES,
  type System,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  at,
  bookingIdOf,
  bookingUid,
  calendarItems,
  clientEmail,
  invitations,
  people,
  proEmail,
  upcomingWeekday,
  type People,
} from './support/scenario';
import { type Cast, setUpCast } from './support/cast';
import { systemClient } from './support/client';
import {
  type BookingView,
  deadLettered,
  expectExactlyTheBooked,
  expectNoDoubleBooking,
  expectProjectionsEqualRebuilds,
  settledBookings,
} from './support/settled';
import { BookingTraffic, CalendarTraffic } from './support/traffic';

const PROS = ['pro-a', 'pro-b', 'pro-c'];
const CLIENTS = Array.from({ length: 8 }, (_, i) => `client-${i}`);
const DAYS = [0, 1, 2, 3, 4].map((n) => upcomingWeekday(7 + n));
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// This file restarts NATS and PostgreSQL: it runs its own, so other test files never notice.
let postgres: PostgresServerHandle;
let nats: NatsServerHandle;
let system: System;
let who: People;
let cast: Cast | undefined;
let bookings: BookingTraffic;
let changes: CalendarTraffic;
/** Every booking as the booking service shows it once the system has settled. */
let final: BookingView[];
/** How long each step took: on a loaded machine it tells slow from stuck. */
const steps: string[] = [];
let stepStarted = performance.now();
const step = (name: string) => {
  const now = performance.now();
  steps.push(`${name} ${((now - stepStarted) / 1_000).toFixed(1)} s`);
  stepStarted = now;
};

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgresServer(), startNatsServer()]);
  system = await startSystem({ databaseUrl: postgres.url, natsUrl: nats.url });
  step('start');
  who = await people(system);

  cast = await setUpCast(system, who, { pros: PROS, clients: CLIENTS, day: DAYS[0]! });
  bookings = new BookingTraffic(system, cast.clients, PROS, DAYS);
  changes = new CalendarTraffic(cast.calendars, DAYS);
  bookings.start(4);
  changes.start();
  step('cast');

  // Twice round, the second time the other way: each service dies with different work in hand.
  for (const service of [...SYSTEM_SERVICES, ...[...SYSTEM_SERVICES].reverse()]) {
    await sleep(1_500);
    await system.kill(service);
    await sleep(500);
    await system.start(service);
  }
  step('service kills');
  await sleep(2_000);
  await nats.restart();
  await sleep(3_000);
  await postgres.restart('immediate');
  await sleep(3_000);
  step('NATS and PostgreSQL restarts');

  await Promise.all([bookings.stop(), changes.stop()]);
  final = await settledBookings(system, who, PROS);
  step('settling');
  console.log(`faults system test steps: ${steps.join(', ')}`);
  // A guard against a hang, not a timing: ten service restarts take minutes on a loaded machine.
}, 900_000);

afterAll(async () => {
  await Promise.all([bookings?.stop(), changes?.stop()]);
  await system?.stop();
  await Promise.all((cast?.ownCalDav ?? []).map((caldav) => caldav.dispose()));
  await Promise.all([nats?.dispose(), postgres?.dispose()]);
}, 60_000);

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
    expectExactlyTheBooked(final, bookings.booked);
  });

  it('never double-booked a Pro: confirmed visits keep the 15-minute gap after each other', () => {
    expectNoDoubleBooking(final, PROS);
  });

  it('dead-lettered no event: every consumer waited the faults out', async () => {
    expect(await deadLettered(system)).toEqual([]);
  });

  it("shows each Pro's bookings as busy in availability, at their current times", async () => {
    // Automatic reschedules may move a visit to a neighbouring day.
    const from = new Date(Date.parse(at(DAYS[0]!, '00:00')) - 7 * DAY).toISOString();
    const to = new Date(Date.parse(at(DAYS.at(-1)!, '23:59')) + 7 * DAY).toISOString();
    for (const visit of final) expect(visit.start >= from && visit.end <= to).toBe(true);
    const operator = systemClient(system, { token: who.operator });
    await eventually(
      async () => {
        for (const proId of PROS) {
          const answer = bodyOf(
            await operator.availability.get('/v1/pros/{proId}/busy', {
              params: { proId },
              query: { from, to },
            }),
            200,
          );
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
        for (const { proId, caldav } of cast!.calendars) {
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
            expect({ [`invitation of ${made.bookingId} to ${to}`]: messages(0).size }).toEqual({
              [`invitation of ${made.bookingId} to ${to}`]: 1,
            });
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
    await expectProjectionsEqualRebuilds(
      system,
      who,
      cast!.calendars.map((c) => c.connectionId),
    );
  }, 120_000);
});
