import { ERASED } from '@cs/contracts';
import { createPool, ProjectionRunner } from '@cs/eventing';
import { bodyOf, type CalendarClient } from '@cs/client';
import { eventually, startSystem, type System } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  at,
  people,
  SERVICE,
  setUpPro,
  setUpTerritory,
  upcomingWeekday,
  waitForSlots,
  type People,
} from './support/scenario';
import { systemClient } from './support/client';
import { systemProjections } from './support/settled';
import { replay } from './support/system-api';

const PRO = 'pro-pia';
const CLIENT = 'client-hz';
const DATE = upcomingWeekday(8);
// Strings found nowhere else, so a hit can only be this client's data.
const NAME = 'Henrietta Zwanenburg-Qx7';
const EMAIL = 'henrietta.qx7@clients.example';
const PHONE = '+31687650077';
const ADDRESS = 'Lijnmarkt 77 Qx7';
const PLAIN = [NAME, EMAIL, PHONE, ADDRESS];

let system: System;
let who: People;
let operator: CalendarClient;

beforeAll(async () => {
  system = await startSystem();
  who = await people(system);
  operator = systemClient(system, { token: who.operator });
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

const getBooking = async (bookingId: string) =>
  bodyOf(await operator.booking.get('/v1/bookings/{bookingId}', { params: { bookingId } }), 200);

/** Every row of every table of the system's schemas, the key store's included, that holds one of the strings. */
async function postgresHits(): Promise<string[]> {
  const schemas = [...Object.values(system.schemas), system.personalDataSchema];
  const { rows: tables } = await system.ctx.pool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
    [schemas],
  );
  expect(tables.length).toBeGreaterThan(20);
  const hits: string[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await system.ctx.pool.query<{ row: string }>(
      `SELECT t::text AS row FROM ${schema}."${name}" t WHERE t::text ILIKE ANY($1)`,
      [PLAIN.map((s) => `%${s}%`)],
    );
    hits.push(...rows.map((r) => `${schema}.${name}: ${r.row.slice(0, 200)}`));
  }
  return hits;
}

/** Every message of every stream of the system (the dead letters' too) that holds one of the strings. */
async function jetStreamHits(): Promise<string[]> {
  const { jsm } = system.ctx;
  const hits: string[] = [];
  let messages = 0;
  for await (const stream of jsm.streams.list()) {
    if (!stream.config.name.startsWith(`${system.ctx.prefix.toUpperCase()}_`)) continue;
    const { first_seq: first, last_seq: last } = stream.state;
    for (let seq = first; seq <= last && last > 0; seq++) {
      const message = await jsm.streams.getMessage(stream.config.name, { seq }).catch(() => null);
      if (!message) continue;
      messages++;
      const text = new TextDecoder().decode(message.data).toLowerCase();
      for (const plain of PLAIN)
        if (text.includes(plain.toLowerCase())) hits.push(`${stream.config.name}#${seq}`);
    }
  }
  expect(messages).toBeGreaterThan(5);
  return hits;
}

describe('personal data: sealed in every event, erased with its keys', () => {
  it('carries the contact details to the notification service, and after the client is erased no table, stream, rebuild or replay holds them', async () => {
    await setUpTerritory(system, who);
    await setUpPro(system, who, PRO);
    await waitForSlots(system, who, PRO, DATE);

    // A client nobody registered books with their contact details and address.
    const booked = bodyOf(
      await operator.booking.post('/v1/bookings', {
        idempotencyKey: 'erasure-booking-1',
        body: {
          serviceId: SERVICE,
          proId: PRO,
          start: at(DATE, '09:00'),
          client: { clientId: CLIENT, name: NAME, email: EMAIL, phone: PHONE, locale: 'en' },
          location: { lat: 52.0907, lng: 5.1214, address: ADDRESS },
        },
      }),
      201,
    );
    expect(booked.client).toMatchObject({ name: NAME, email: EMAIL });

    // The invitation reaches the address the booking carried, and the booking says so.
    await eventually(
      async () =>
        expect(system.smtp.delivered.some((m) => m.envelopeTo.includes(EMAIL))).toBe(true),
      30_000,
      250,
    );
    await eventually(
      async () => expect((await getBooking(booked.bookingId)).clientReachable).toBe(true),
      30_000,
      250,
    );

    // Another client gives no way to reach them: the booking shows it, and an event records it.
    const unreachable = bodyOf(
      await operator.booking.post('/v1/bookings', {
        body: {
          serviceId: SERVICE,
          proId: PRO,
          start: at(DATE, '14:00'),
          client: { clientId: 'client-silent' },
        },
      }),
      201,
    );
    await eventually(
      async () => expect((await getBooking(unreachable.bookingId)).clientReachable).toBe(false),
      30_000,
      250,
    );

    const moved = bodyOf(
      await operator.booking.post('/v1/bookings/{bookingId}/reschedule', {
        params: { bookingId: booked.bookingId },
        body: { start: at(DATE, '11:00') },
      }),
      200,
    );
    await eventually(
      async () =>
        expect(
          system.smtp.delivered.filter((m) => m.envelopeTo.includes(EMAIL)).length,
        ).toBeGreaterThanOrEqual(2),
      30_000,
      250,
    );
    const { rows: told } = await system.ctx.pool.query(
      `SELECT data FROM ${system.schemas.notification}.events WHERE type = 'notification.recipient_unreachable'`,
    );
    expect(told.map((r) => r.data)).toContainEqual(
      expect.objectContaining({ bookingId: unreachable.bookingId, reason: 'no_contact' }),
    );
    // Events and JetStream never held the details in clear, even before erasure; the services'
    // own tables did (the booking as shown, the stored answer, where the mail went).
    expect(await jetStreamHits()).toEqual([]);
    expect((await postgresHits()).length).toBeGreaterThanOrEqual(3);

    const erased = bodyOf(
      await operator.booking.delete('/v1/people/{kind}/{id}', {
        params: { kind: 'client', id: CLIENT },
      }),
      200,
    );
    expect(erased.keysDestroyed).toBe(1);

    // Every projection is built again from the log, and the replay reads the whole history.
    for (const [schema, definition] of systemProjections(system)) {
      const pool = createPool({ databaseUrl: system.databaseUrl, schema, max: 2 });
      try {
        const { js, jsm, naming } = system.ctx;
        await new ProjectionRunner(definition, { pool, js, jsm, naming }).rebuild();
      } finally {
        await pool.end();
      }
    }
    const history = await replay(system, ['--booking', booked.bookingId]);
    expect(history.map((e) => e.type)).toEqual(
      expect.arrayContaining(['booking.confirmed', 'booking.rescheduled']),
    );
    const confirmed = history.find((e) => e.type === 'booking.confirmed')!;
    expect(confirmed.data).toMatchObject({
      client: { clientId: CLIENT, contact: ERASED },
      location: { address: ERASED },
    });

    // Nothing anywhere holds the name, e-mail, phone or address any more.
    await eventually(async () => expect(await postgresHits()).toEqual([]), 30_000, 500);
    expect(await jetStreamHits()).toEqual([]);
    expect(JSON.stringify(history)).not.toMatch(/Qx7|87650077/i);

    // The booking keeps its time, Pro and status; its personal data reads as erased.
    expect(await getBooking(booked.bookingId)).toMatchObject({
      status: 'confirmed',
      start: moved.start,
      end: moved.end,
      client: { clientId: CLIENT, name: ERASED, email: ERASED, phone: ERASED },
      location: { address: ERASED },
    });
    const exported = bodyOf(
      await operator.booking.get('/v1/people/{kind}/{id}/export', {
        params: { kind: 'client', id: CLIENT },
      }),
      200,
    );
    expect(exported).toMatchObject({ keyStore: { keyVersions: [] }, bookings: [{}] });
    expect(JSON.stringify(exported)).not.toMatch(/Qx7|87650077/i);
  });
});
