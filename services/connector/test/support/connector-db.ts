import { randomBytes } from 'node:crypto';
import { withTransaction } from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import type { Credentials } from '../../src/domain/provider/calendar-provider';
import { ConnectionStore } from '../../src/infrastructure/connections/connection-store';
import { CredentialCipher } from '../../src/infrastructure/credentials/credential-cipher';
import { connectorMigrations } from '../../src/infrastructure/migrations';

/** The connector's tables in this test file's own schema, without the service around them. */
export const connectorTables = (): Promise<TestContext> =>
  createTestContext({ streams: [], migrations: connectorMigrations });

/** A connection store sealing with a key of its own. */
export const connectionStore = (ctx: TestContext) =>
  new ConnectionStore(ctx.pool, new CredentialCipher(new Map([['k1', randomBytes(32)]])));

/** An active connection of `pro-1` holding these credentials (and no calendars). */
export async function insertConnection(
  ctx: TestContext,
  store: ConnectionStore,
  connectionId: string,
  credentials: Credentials,
): Promise<void> {
  await withTransaction(ctx.pool, (tx) =>
    store.insert(
      tx,
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
