import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '@cs/contracts';
import { CredentialCipher, EventStore, newId, runInContext, withUnitOfWork } from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import { ConnectionNotPending } from '../../domain/connection/connection';
import type { GoogleCredentials } from '../../domain/provider/calendar-provider';
import { connectorMigrations } from '../migrations';
import { ConnectionCalendarRecord } from './connection-calendar.entity';
import { ConnectionCommands, connectionStreamId } from './connection-commands';
import { type CalendarRow, ConnectionStore } from './connection-store';
import { ConnectionRecord } from './connection.entity';
import { calendarView } from './calendar-view';

let ctx: TestContext;
let store: EventStore;
let connections: ConnectionStore;
let commands: ConnectionCommands;

beforeAll(async () => {
  ctx = await createTestContext({
    streams: [],
    migrations: connectorMigrations,
    entities: [ConnectionRecord, ConnectionCalendarRecord],
  });
  store = new EventStore(ctx.pool, ctx.naming);
  connections = new ConnectionStore(
    ctx.dataSource.getRepository(ConnectionRecord),
    new CredentialCipher(new Map([['k1', randomBytes(32)]])),
  );
  commands = new ConnectionCommands(store);
});
afterAll(() => ctx.cleanup());

const inContext = <T>(work: () => Promise<T>) =>
  runInContext({ correlationId: newId(), causationId: null, actor: systemActor('test') }, work);

const credentials: GoogleCredentials = {
  provider: 'google',
  accessToken: 'a',
  refreshToken: 'r',
  expiresAt: 0,
};
const calendarOf = (connectionId: string): CalendarRow => ({
  calendarId: `${connectionId}-cal`,
  connectionId,
  url: 'primary',
  name: 'Work',
  color: null,
  writable: true,
  supportsDelta: true,
  busySource: true,
  writeTarget: true,
  allDayBlocks: true,
});

/** A pending Google connection, as starting consent leaves it. */
async function pending(connectionId: string): Promise<void> {
  await inContext(() =>
    withUnitOfWork(ctx.dataSource, async ({ manager, client }) => {
      await connections.insert(
        manager,
        {
          connectionId,
          proId: 'pro-1',
          provider: 'google',
          status: 'pending_authorization',
          endpoint: 'www.googleapis.com',
          createdAt: new Date(),
        },
        credentials,
        [],
        null,
      );
      await store.appendWith(
        client,
        connectionStreamId(connectionId),
        [
          {
            type: 'connection.created',
            data: {
              connectionId,
              proId: 'pro-1',
              provider: 'google',
              status: 'pending_authorization',
            },
          },
        ],
        { expectedVersion: 'no_stream' },
      );
    }),
  );
}

/** Activates the connection and authorizes it in one unit of work; fails after when told to. */
function authorize(connectionId: string, failAfter = false) {
  const calendars = [calendarOf(connectionId)];
  return inContext(() =>
    withUnitOfWork(ctx.dataSource, async ({ manager, client }) => {
      await commands.handleWith(client, connectionId, {
        type: 'authorize',
        calendars: calendars.map(calendarView),
      });
      await connections.activate(manager, connectionId, credentials, calendars);
      if (failAfter) throw new Error('failed after the append');
    }),
  );
}

const eventTypes = async (connectionId: string) =>
  (
    await ctx.pool.query<{ type: string; stream_version: number }>(
      'SELECT type, stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [connectionStreamId(connectionId)],
    )
  ).rows.map((r) => `${r.stream_version}:${r.type}`);

describe('a connection command in the unit of work that writes its rows', () => {
  it('commits the rows and the decided events, appended after the version loaded', async () => {
    await pending('c-commit');
    await authorize('c-commit');
    expect(await connections.find('c-commit')).toMatchObject({ status: 'active' });
    expect(await connections.calendars(['c-commit'])).toHaveLength(1);
    expect(await eventTypes('c-commit')).toEqual([
      '1:connection.created',
      '2:connection.authorized',
      '3:connection.calendars_changed',
    ]);
  });

  it('rolls both back when the work fails after the append', async () => {
    await pending('c-fail');
    await expect(authorize('c-fail', true)).rejects.toThrow('failed after the append');
    expect(await connections.find('c-fail')).toMatchObject({ status: 'pending_authorization' });
    expect(await connections.calendars(['c-fail'])).toEqual([]);
    expect(await eventTypes('c-fail')).toEqual(['1:connection.created']);
  });

  it('refuses a second authorization before touching the rows', async () => {
    await expect(authorize('c-commit')).rejects.toThrow(ConnectionNotPending);
    expect(await eventTypes('c-commit')).toHaveLength(3);
    expect(await connections.calendars(['c-commit'])).toHaveLength(1);
  });

  it('removes a connection once, however many ask at the same time', async () => {
    const remove = () =>
      inContext(() =>
        withUnitOfWork(ctx.dataSource, async ({ manager, client }) => {
          await connections.markRemoved(manager, 'c-commit', new Date());
          await commands.handleWith(client, 'c-commit', { type: 'remove' });
        }),
      );
    await Promise.all([remove(), remove(), remove()]);
    expect(await connections.find('c-commit')).toBeNull();
    expect((await eventTypes('c-commit')).filter((e) => e.endsWith('removed'))).toEqual([
      '4:connection.removed',
    ]);
  });
});
