import type { Envelope } from '@cs/contracts';
import {
  backboneMigrations,
  type Clock,
  dataSourceOptions,
  EventStore,
  type ExecutionContext,
  type HistoryEntry,
  openDataSource,
  poolOf,
  readHistory,
  schemasWithEvents,
} from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { historyEvents as events } from './fixtures/history-events';

/**
 * Three services' event stores in three schemas, with clocks that disagree: sync's runs a minute
 * ahead of booking's, so a conflict booking records is stamped before the sync event causing it.
 */
let ctx: TestContext;
let dataSources: DataSource[];
let schemas: { connector: string; sync: string; booking: string; notification: string };
let recorded: Record<string, Envelope>;

const clockAt = (time: string): Clock => {
  let now = Date.parse(time);
  return { now: () => new Date((now += 1_000)) };
};
const byRequest = (correlationId: string): ExecutionContext => ({
  correlationId,
  causationId: null,
  actor: { kind: 'service', id: 'front-desk' },
});
const causedBy = (cause: Envelope): ExecutionContext => ({
  correlationId: cause.correlationId,
  causationId: cause.id,
  actor: cause.actor,
});

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  schemas = {
    connector: ctx.schema,
    sync: `${ctx.schema}_sync`,
    booking: `${ctx.schema}_booking`,
    notification: `${ctx.schema}_notification`,
  };
  dataSources = [];
  const store = async (schema: string, clock: Clock) => {
    const dataSource = await openDataSource(
      dataSourceOptions({ databaseUrl: ctx.databaseUrl, schema, migrations: backboneMigrations }),
    );
    dataSources.push(dataSource);
    return new EventStore(poolOf(dataSource), ctx.naming, undefined, clock);
  };
  const connector = await store(schemas.connector, clockAt('2026-12-01T08:00:00Z'));
  const sync = await store(schemas.sync, clockAt('2026-12-01T09:01:00Z'));
  const booking = await store(schemas.booking, clockAt('2026-12-01T09:00:00Z'));
  const notification = await store(schemas.notification, clockAt('2026-12-01T09:00:30Z'));
  const append = async (
    on: EventStore,
    streamId: string,
    event: { type: string; data: unknown },
    context: ExecutionContext,
  ) => (await on.append(streamId, [event], { expectedVersion: 'any', context })).events[0]!;

  const created = await append(
    connector,
    'connection-c-1',
    events.connected('c-1'),
    byRequest('corr-connect'),
  );
  const listed = await append(
    connector,
    'connection-c-1',
    events.calendarsListed('c-1', ['cal-1', 'cal-2']),
    byRequest('corr-connect'),
  );
  await append(
    connector,
    'connection-c-2',
    events.connected('c-2', 'pro-2'),
    byRequest('corr-other'),
  );
  const confirmed = await append(
    booking,
    'pro-schedule-pro-1',
    events.confirmed('b-1'),
    byRequest('corr-book'),
  );
  const invited = await append(
    notification,
    'notification-n-1',
    events.invitation('n-1', 'b-1'),
    causedBy(confirmed),
  );
  const upserted = await append(
    sync,
    'calendar-cal-1',
    events.upserted('cal-1', 'dentist'),
    causedBy(listed),
  );
  const conflict = await append(
    booking,
    'pro-schedule-pro-1',
    events.conflict('b-1', 'cal-1'),
    causedBy(upserted),
  );
  await append(sync, 'calendar-cal-2', events.upserted('cal-2', 'gym'), causedBy(listed));
  const reauth = await append(
    connector,
    'connection-c-1',
    events.reauth('c-1'),
    byRequest('corr-reauth'),
  );
  recorded = { created, listed, confirmed, invited, upserted, conflict, reauth };
});
afterAll(async () => {
  for (const dataSource of dataSources) await dataSource.destroy();
  for (const schema of Object.values(schemas).slice(1))
    await ctx.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await ctx.cleanup();
});

const all = () => [schemas.connector, schemas.sync, schemas.booking, schemas.notification];
const ids = (entries: HistoryEntry[]) => entries.map((entry) => entry.envelope.id);

describe('readHistory', () => {
  it("tells a booking's story across services, each event with its cause", async () => {
    const history = await readHistory(ctx.pool, {
      subject: { kind: 'booking', id: 'b-1' },
      schemas: all(),
    });
    expect(ids(history)).toEqual([
      recorded.confirmed!.id,
      recorded.conflict!.id,
      recorded.invited!.id,
    ]);
    expect(history.map((entry) => entry.service)).toEqual([
      schemas.booking,
      schemas.booking,
      schemas.notification,
    ]);
    expect(history[0]!.cause).toEqual({
      kind: 'request',
      actor: { kind: 'service', id: 'front-desk' },
    });
    expect(history[1]!.cause).toEqual({
      kind: 'event',
      inHistory: false,
      event: {
        id: recorded.upserted!.id,
        type: 'calendar.event_upserted',
        service: schemas.sync,
        streamId: 'calendar-cal-1',
        streamVersion: 1,
      },
    });
    expect(history[2]!.cause).toMatchObject({
      kind: 'event',
      inHistory: true,
      event: { id: recorded.confirmed!.id, type: 'booking.confirmed', service: schemas.booking },
    });
    expect(history[2]!.envelope.correlationId).toBe('corr-book');
  });

  it('puts an effect stamped before its cause by a faster clock after that cause', async () => {
    const history = await readHistory(ctx.pool, {
      subject: { kind: 'calendar', id: 'cal-1' },
      schemas: all(),
    });
    expect(recorded.conflict!.recordedAt < recorded.upserted!.recordedAt).toBe(true);
    expect(ids(history)).toEqual([
      recorded.created!.id,
      recorded.listed!.id,
      recorded.reauth!.id,
      recorded.upserted!.id,
      recorded.conflict!.id,
    ]);
  });

  it("includes a calendar's connection-wide events but not the other calendars' ones", async () => {
    const history = await readHistory(ctx.pool, {
      subject: { kind: 'calendar', id: 'cal-2' },
      schemas: all(),
    });
    expect(history.map((entry) => entry.envelope.type)).toEqual([
      'connection.created',
      'connection.calendars_changed',
      'connection.reauth_required',
      'calendar.event_upserted',
    ]);
    expect(history.map((entry) => entry.envelope.streamId)).not.toContain('connection-c-2');
    expect((history[3]!.envelope.data as { eventUid: string }).eventUid).toBe('gym');
  });

  it("gathers a Pro's events by proId only, and keeps to the time window", async () => {
    const history = await readHistory(ctx.pool, {
      subject: { kind: 'pro', id: 'pro-1' },
      schemas: all(),
    });
    expect(history).toHaveLength(8);
    expect(
      history.every((entry) => (entry.envelope.data as { proId: string }).proId === 'pro-1'),
    ).toBe(true);
    const window = await readHistory(ctx.pool, {
      subject: { kind: 'pro', id: 'pro-1' },
      schemas: all(),
      from: new Date(recorded.confirmed!.recordedAt),
      to: new Date(Date.parse(recorded.conflict!.recordedAt) + 1),
    });
    expect(ids(window)).toEqual([recorded.confirmed!.id, recorded.conflict!.id]);
  });

  it('finds a cause outside the schemas read as unknown, and only reads schemas that exist', async () => {
    const history = await readHistory(ctx.pool, {
      subject: { kind: 'booking', id: 'b-1' },
      schemas: [schemas.notification],
    });
    expect(history).toHaveLength(1);
    expect(history[0]!.cause).toEqual({ kind: 'unknown', eventId: recorded.confirmed!.id });
    expect(await schemasWithEvents(ctx.pool, [`${ctx.schema}_none`, ...all()])).toEqual(all());
  });
});
