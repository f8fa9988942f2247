import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { type Envelope, eventRegistry } from '@cs/contracts';
import { createServiceApp } from '@cs/platform';
import {
  collectOutput,
  createTestContext,
  DATABASE_URL,
  eventually,
  freePort,
  NATS_URL,
  spawnTs,
  TEST_JWT_SECRET,
  type TestContext,
  waitForExit,
} from '@cs/testing';
import { syncService } from '../../src/service';

export interface ConnectorAndSync {
  ctx: TestContext;
  /** The connector runs as its own process, as in production: the services share no code. */
  connector: ChildProcess;
  connectorUrl: string;
  connectorOutput: () => string;
  sync: INestApplication;
  /** Stops the connector and starts it again with the same keys and database, some settings changed. */
  restartConnector(overrides: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** Both services on one test context (the connector in its schema, sync in `<schema>_sync`). */
export async function startConnectorAndSync(
  connectorEnv: (connectorUrl: string) => Record<string, string>,
  syncEnv: Record<string, string> = {},
): Promise<ConnectorAndSync> {
  const ctx = await createTestContext({ streams: [] });
  const syncSchema = `${ctx.schema}_sync`;
  const common = {
    DATABASE_URL,
    NATS_URL,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
  };
  const port = await freePort();
  const connectorUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...common,
    PORT: String(port),
    DB_SCHEMA: ctx.schema,
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    CALDAV_ALLOW_PRIVATE_ADDRESSES: 'true',
    ...connectorEnv(connectorUrl),
  };
  const outputs: Array<() => string> = [];
  const spawnConnector = async (overrides: Record<string, string>) => {
    const child = spawnTs('services/connector/src/main.ts', { ...env, ...overrides });
    const output = collectOutput(child);
    outputs.push(output);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`connector exited: ${output()}`);
        const ready = await fetch(`${connectorUrl}/health/ready`).catch(() => null);
        if (ready?.status !== 200) throw new Error('connector not ready yet');
      },
      30_000,
      200,
    );
    return child;
  };
  let connector = await spawnConnector({});
  const sync = await createServiceApp(syncService, {
    ...common,
    DB_SCHEMA: syncSchema,
    SYNC_POLL_INTERVAL_MS: '600000',
    SYNC_TICK_MS: '100',
    SYNC_MAX_BACKOFF_MS: '1000',
    SYNC_REQUEST_TIMEOUT_MS: '5000',
    ...syncEnv,
  });
  return {
    ctx,
    get connector() {
      return connector;
    },
    connectorUrl,
    connectorOutput: () => outputs.map((output) => output()).join(''),
    sync,
    async restartConnector(overrides) {
      connector.kill('SIGTERM');
      await waitForExit(connector);
      connector = await spawnConnector(overrides);
    },
    async stop() {
      await sync.close();
      connector.kill('SIGTERM');
      await waitForExit(connector);
      await ctx.pool.query(`DROP SCHEMA IF EXISTS ${syncSchema} CASCADE`);
      for (const context of ['connector', 'sync', 'booking'] as const)
        await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
      await ctx.cleanup();
    },
  };
}

/** Everything of one type on a stream so far (sync's unless told), as a consumer sees it. */
export async function busEvents(
  ctx: TestContext,
  type: string,
  context: 'sync' | 'connector' = 'sync',
): Promise<Envelope[]> {
  const found: Envelope[] = [];
  const info = await ctx.jsm.streams.info(ctx.naming.stream(context)).catch(() => null);
  if (!info || info.state.messages === 0) return found;
  const consumer = await ctx.js.consumers.get(ctx.naming.stream(context));
  const messages = await consumer.fetch({ max_messages: 10_000, expires: 2_000 });
  for await (const msg of messages) {
    const envelope = eventRegistry.parse(msg.json());
    if (envelope.type === type) found.push(envelope);
    if (msg.info.pending === 0) break;
  }
  return found;
}
