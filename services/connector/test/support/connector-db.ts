import { randomBytes } from 'node:crypto';
import { CredentialCipher, withUnitOfWork } from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import type { Credentials } from '../../src/domain/provider/calendar-provider';
import { ConnectionCalendarRecord } from '../../src/infrastructure/connections/connection-calendar.entity';
import { ConnectionStore } from '../../src/infrastructure/connections/connection-store';
import { ConnectionRecord } from '../../src/infrastructure/connections/connection.entity';
import { connectorMigrations } from '../../src/infrastructure/migrations';

/** The connector's tables in this test file's own schema, without the service around them. */
export const connectorTables = (): Promise<TestContext> =>
  createTestContext({
    streams: [],
    migrations: connectorMigrations,
    entities: [ConnectionRecord, ConnectionCalendarRecord],
  });

/** A connection store sealing with a key of its own. */
export const connectionStore = (ctx: TestContext) =>
  new ConnectionStore(
    ctx.dataSource.getRepository(ConnectionRecord),
    new CredentialCipher(new Map([['k1', randomBytes(32)]])),
  );

/** An active connection of `pro-1` holding these credentials (and no calendars). */
export async function insertConnection(
  ctx: TestContext,
  store: ConnectionStore,
  connectionId: string,
  credentials: Credentials,
): Promise<void> {
  await withUnitOfWork(ctx.dataSource, ({ manager }) =>
    store.insert(
      manager,
      {
        connectionId,
        proId: 'pro-1',
        provider: credentials.provider,
        status: 'active',
        endpoint: 'x',
        createdAt: new Date(),
      },
      credentials,
      [],
      null,
    ),
  );
}
