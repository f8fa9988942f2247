import { randomUUID } from 'node:crypto';
import { ERASED } from '@cs/contracts';
import {
  createPool,
  CredentialCipher,
  parseCredentialKeys,
  PersonalData,
  PersonKeys,
  ProjectionRunner,
} from '@cs/eventing';
import { bodyOf, type CalendarClient } from '@cs/client';
import {
  eventually,
  spawnTs,
  startSystem,
  type System,
  testPersonalDataEnv,
  waitForExit,
} from '@cs/testing';
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
// The client's home, as written in JSON; coordinates nothing else in the system has.
const HOME = { lat: 52.0917531, lng: 5.1237419 };
// Registered with the notification service on its own, not carried by a booking.
const REGISTERED_EMAIL = 'henrietta.home.qx7@clients.example';
// A booking event recorded before sealing existed (v1): address and coordinates in clear.
const LEGACY_ADDRESS = 'Oudkerkhof 31 Qx7';
const LEGACY_HOME = { lat: 52.0948163, lng: 5.1161297 };
const PLAIN = [
  NAME,
  EMAIL,
  PHONE,
  ADDRESS,
  REGISTERED_EMAIL,
  LEGACY_ADDRESS,
  ...[HOME, LEGACY_HOME].flatMap(({ lat, lng }) => [String(lat), String(lng)]),
];

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
async function jetStreamHits(strings: readonly string[] = PLAIN): Promise<string[]> {
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
      for (const plain of strings)
        if (text.includes(plain.toLowerCase())) hits.push(`${stream.config.name}#${seq}`);
    }
  }
  expect(messages).toBeGreaterThan(5);
  return hits;
}

/** The system's key store, as an operator's tool opens it. */
const keyStore = () => {
  const { PERSONAL_DATA_KEYS } = testPersonalDataEnv(system.personalDataSchema);
  return new PersonalData(
    new PersonKeys(
      system.personalDataSchema,
      new CredentialCipher(parseCredentialKeys(PERSONAL_DATA_KEYS!)),
    ),
  );
};

/** A booking.confirmed as the booking service wrote it before sealing: v1, straight into its store. */
async function recordLegacyBooking(): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  const streamId = 'pro-schedule-pro-legacy';
  const envelope = {
    id,
    type: 'booking.confirmed',
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    occurredAt: at,
    recordedAt: at,
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'system', id: 'before-sealing' },
    data: {
      bookingId: 'b-legacy',
      proId: 'pro-legacy',
      serviceId: SERVICE,
      start: at,
      end: at,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      client: { clientId: CLIENT, timeZone: null, locale: null },
      location: { ...LEGACY_HOME, address: LEGACY_ADDRESS },
      priority: 'normal',
      override: null,
    },
  };
  const schema = system.schemas.booking;
  await system.ctx.pool.query(
    `INSERT INTO ${schema}.events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at)
     VALUES ($1, $2, 1, 'booking.confirmed', 1, $3, $4, $5, $5)`,
    [
      id,
      streamId,
      JSON.stringify(envelope.data),
      JSON.stringify({
        correlationId: envelope.correlationId,
        causationId: null,
        actor: envelope.actor,
      }),
      at,
    ],
  );
  await system.ctx.pool.query(
    `INSERT INTO ${schema}.outbox (event_id, subject, payload) VALUES ($1, $2, $3)`,
    [
      id,
      system.ctx.naming.subject('booking', 'booking.confirmed', 'pro-legacy'),
      JSON.stringify(envelope),
    ],
  );
  return id;
}

/** `npm run personal-data:reseal` against the booking service, as an operator runs it. */
async function reseal(): Promise<void> {
  const child = spawnTs(
    'scripts/reseal-personal-data.ts',
    {
      DATABASE_URL: system.databaseUrl,
      NATS_URL: system.ctx.natsUrl,
      NATS_PREFIX: system.ctx.prefix,
      ...testPersonalDataEnv(system.personalDataSchema),
    },
    ['--service', 'booking', '--schema', system.schemas.booking, '--reason', 'sealing v1 events'],
  );
  expect(await waitForExit(child)).toBe(0);
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
          location: { ...HOME, address: ADDRESS },
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
    // The client registers a contact of their own with the notification service.
    bodyOf(
      await operator.notification.put('/v1/contacts/{kind}/{id}', {
        params: { kind: 'client', id: CLIENT },
        body: { name: NAME, email: REGISTERED_EMAIL, locale: 'en', timeZone: 'Europe/Amsterdam' },
      }),
      200,
    );

    // An event from before sealing reaches JetStream in clear; the operator's tool seals it in
    // place, records why, and replaces its message.
    const legacyId = await recordLegacyBooking();
    const legacyPlain = [LEGACY_ADDRESS, String(LEGACY_HOME.lat)];
    await eventually(
      async () => expect(await jetStreamHits(legacyPlain)).not.toEqual([]),
      30_000,
      250,
    );
    await reseal();
    expect(await jetStreamHits(legacyPlain)).toEqual([]);
    const { rows: resealed } = await system.ctx.pool.query(
      `SELECT data FROM ${system.schemas.booking}.events WHERE type = 'person.history_resealed'`,
    );
    expect(resealed.map((r) => r.data)).toEqual([
      {
        kind: 'client',
        personId: CLIENT,
        reason: 'sealing v1 events',
        events: [
          {
            eventId: legacyId,
            streamId: 'pro-schedule-pro-legacy',
            streamVersion: 1,
            type: 'booking.confirmed',
            fromSchemaVersion: 1,
          },
        ],
      },
    ]);

    // Events and JetStream never held the details in clear, even before erasure; the services'
    // own tables did (the booking as shown, the stored answer, where the mail went, the contact).
    expect(await jetStreamHits()).toEqual([]);
    expect((await postgresHits()).length).toBeGreaterThanOrEqual(3);

    // The audit route opens what the events seal for its caller, the resealed legacy event too.
    const audit = async (streamId: string) => {
      const answer = await operator.booking.get('/v1/audit/streams/{streamId}', {
        params: { streamId },
      });
      return bodyOf(answer, 200).events;
    };
    const auditOf = async () =>
      JSON.stringify([
        ...(await audit(`pro-schedule-${PRO}`)),
        ...(await audit('pro-schedule-pro-legacy')),
      ]);
    const opened = await auditOf();
    for (const plain of [
      NAME,
      EMAIL,
      ADDRESS,
      LEGACY_ADDRESS,
      String(HOME.lat),
      String(LEGACY_HOME.lat),
    ])
      expect(opened).toContain(plain);
    expect(opened).not.toContain('ciphertext');

    // The export lists what every service holds, the contact registered apart included.
    const before = bodyOf(
      await operator.booking.get('/v1/people/{kind}/{id}/export', {
        params: { kind: 'client', id: CLIENT },
      }),
      200,
    );
    expect(before.notification).toMatchObject({
      contact: { name: NAME, email: REGISTERED_EMAIL },
    });
    expect(JSON.stringify(before)).toContain(String(HOME.lat));

    const erased = bodyOf(
      await operator.booking.delete('/v1/people/{kind}/{id}', {
        params: { kind: 'client', id: CLIENT },
      }),
      200,
    );
    expect(erased.keysDestroyed).toBe(1);

    // Every projection is built again from the log, and the replay reads the whole history.
    const personal = keyStore();
    for (const [schema, definition] of systemProjections(system)) {
      const pool = createPool({ databaseUrl: system.databaseUrl, schema, max: 2 });
      try {
        const { js, jsm, naming } = system.ctx;
        const runtime = { pool, js, jsm, naming };
        await new ProjectionRunner(definition, runtime, { personal: () => personal }).rebuild();
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
      location: { point: ERASED, address: ERASED },
    });
    // The audit route now shows the erased marker where the data was, never ciphertext.
    const erasedAudit = await auditOf();
    expect(erasedAudit).not.toMatch(/Qx7|87650077|ciphertext/i);
    expect(erasedAudit).toContain(ERASED);

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
      location: { lat: ERASED, lng: ERASED, address: ERASED },
    });
    const exported = bodyOf(
      await operator.booking.get('/v1/people/{kind}/{id}/export', {
        params: { kind: 'client', id: CLIENT },
      }),
      200,
    );
    expect(exported).toMatchObject({
      keyStore: { keyVersions: [] },
      bookings: [{}],
      notification: { contact: null },
    });
    expect(JSON.stringify(exported)).not.toMatch(/Qx7|87650077/i);
  });
});
