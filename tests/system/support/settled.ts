import {
  createPool,
  DEAD_LETTER_HEADERS,
  ProjectionRunner,
  type ProjectionDefinition,
} from '@cs/eventing';
import { bodyOf } from '@cs/client';
import { eventually, type System } from '@cs/testing';
import { expect } from '@jest/globals';
import { schedulesProjection } from '../../../services/availability/src/infrastructure/read-model/schedules.projection';
import { territoriesProjection } from '../../../services/availability/src/infrastructure/territories.projection';
import { scheduleInputsProjection } from '../../../services/booking/src/infrastructure/schedule-inputs.projection';
import { systemClient } from './client';
import type { People } from './scenario';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BookingView {
  bookingId: string;
  status: string;
  start: string;
  end: string;
  proIds: string[];
}

/** Lists each Pro's bookings until automatic reschedules have stopped moving them. */
export async function settledBookings(
  system: System,
  who: People,
  pros: readonly string[],
): Promise<BookingView[]> {
  const operator = systemClient(system, { token: who.operator });
  const list = async () =>
    (
      await Promise.all(
        pros.map((proId) =>
          operator.booking
            .get('/v1/bookings', { query: { proId, limit: 500 } })
            .then((answer) => bodyOf(answer, 200)),
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
export async function deadLettered(system: System): Promise<string[]> {
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
async function positions(system: System): Promise<string> {
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

/** Every projection of the system, with the schema of the service that keeps it. */
export function systemProjections(system: System): Array<[string, ProjectionDefinition]> {
  return [
    [system.schemas.availability, territoriesProjection],
    [system.schemas.availability, schedulesProjection],
    [system.schemas.booking, scheduleInputsProjection],
  ];
}

/**
 * Pauses the calendars' polling (it keeps recording sync runs), waits until the consumers rest,
 * then checks that every projection equals a rebuild from the log (`ProjectionRunner.verify()`)
 * at the services' `PROJECTION_EPOCH`.
 */
export async function expectProjectionsEqualRebuilds(
  system: System,
  who: People,
  connectionIds: readonly string[],
  epoch = 0,
): Promise<void> {
  const operator = systemClient(system, { token: who.operator });
  for (const connectionId of connectionIds)
    bodyOf(
      await operator.sync.post('/v1/connections/{connectionId}/pause', {
        params: { connectionId },
      }),
      202,
    );
  let before = await positions(system);
  await eventually(
    async () => {
      await sleep(1_500);
      const now = await positions(system);
      const resting = now === before;
      before = now;
      expect(resting).toBe(true);
    },
    30_000,
    0,
  );
  for (const [schema, definition] of systemProjections(system)) {
    const pool = createPool({ databaseUrl: system.databaseUrl, schema, max: 2 });
    try {
      const { js, jsm, naming } = system.ctx;
      const runner = new ProjectionRunner(definition, { pool, js, jsm, naming }, { epoch });
      // At rest by positions, a last event may still be on its way: equal within a while.
      await eventually(
        async () =>
          expect({ [definition.name]: await runner.verify() }).toMatchObject({
            [definition.name]: { equal: true },
          }),
        20_000,
        2_000,
      );
    } finally {
      await pool.end();
    }
  }
}

/** Every booking answered 201 is shown once, confirmed, for its Pro, and no other booking is. */
export function expectExactlyTheBooked(
  final: readonly BookingView[],
  booked: ReadonlyArray<{ bookingId: string; proId: string }>,
): void {
  const answered = booked.map((b) => b.bookingId);
  expect(new Set(answered).size).toBe(answered.length);
  expect(final.map((b) => b.bookingId).sort()).toEqual([...answered].sort());
  for (const made of booked)
    expect(final.find((b) => b.bookingId === made.bookingId)).toMatchObject({
      status: 'confirmed',
      proIds: [made.proId],
    });
}

/** No Pro has two confirmed visits closer than the 15-minute gap the scenario's Pros keep. */
export function expectNoDoubleBooking(final: readonly BookingView[], pros: readonly string[]) {
  for (const proId of pros) {
    const sorted = final
      .filter((b) => b.proIds.includes(proId))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    for (let i = 1; i < sorted.length; i++) {
      const [before, after] = [sorted[i - 1]!, sorted[i]!];
      expect({
        between: `${before.bookingId}, ${after.bookingId}`,
        gapAtLeast15Min: Date.parse(after.start) - Date.parse(before.end) >= 15 * 60_000,
      }).toMatchObject({ gapAtLeast15Min: true });
    }
  }
}
