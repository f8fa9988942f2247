import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, OutboxRelay } from '@cs/eventing';
import {
  collectOutput,
  createTestContext,
  eventually,
  spawnTs,
  startNatsServer,
  waitForExit,
  type NatsServerHandle,
  type TestContext,
} from '@cs/testing';
import { absence } from './fixtures/events';
import { readJetStream } from './fixtures/read-stream';

const outboxDepth = async (ctx: TestContext) =>
  Number((await ctx.pool.query('SELECT count(*) AS n FROM outbox')).rows[0].n);

function expectExactlyOnce(
  published: Array<{ id: string; streamId: string; streamVersion: number }>,
  ids: string[],
) {
  expect(published.map((p) => p.id).sort()).toEqual([...ids].sort());
  const lastVersion = new Map<string, number>();
  for (const p of published) {
    expect(p.streamVersion).toBe((lastVersion.get(p.streamId) ?? 0) + 1);
    lastVersion.set(p.streamId, p.streamVersion);
  }
}

describe('OutboxRelay', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ streams: ['availability'] });
  });
  afterAll(() => ctx.cleanup());

  it('publishes every committed event once, in order per stream, with the event id as Nats-Msg-Id', async () => {
    const store = new EventStore(ctx.pool, ctx.naming);
    const ids: string[] = [];
    for (let pro = 0; pro < 5; pro++) {
      for (let n = 0; n < 4; n++) {
        const { events } = await store.append(`pro-${pro}`, [absence(`pro-${pro}`, n)], {
          expectedVersion: 'any',
        });
        ids.push(...events.map((e) => e.id));
      }
    }
    const relay = new OutboxRelay(ctx.pool, ctx.js, { lockName: ctx.schema, pollIntervalMs: 50 });
    relay.start();
    await eventually(async () => expect(await outboxDepth(ctx)).toBe(0));
    await relay.stop();
    const published = await readJetStream(ctx, 'availability');
    expectExactlyOnce(published, ids);
    const msg = await ctx.jsm.streams.getMessage(ctx.naming.stream('availability'), {
      seq: published[0]!.seq,
    });
    expect(msg?.header.get('Nats-Msg-Id')).toBe(published[0]!.id);
    expect(msg?.subject).toMatch(
      new RegExp(`^${ctx.prefix}\\.cs\\.availability\\.pro\\.absence_added\\.p\\d+$`),
    );
  });

  it('lets only one of two relays publish at a time, the other standing by without leaking', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const store = new EventStore(ctx.pool, ctx.naming);
    const a = new OutboxRelay(ctx.pool, ctx.js, { lockName: ctx.schema, pollIntervalMs: 10 });
    const b = new OutboxRelay(ctx.pool, ctx.js, { lockName: ctx.schema, pollIntervalMs: 10 });
    a.start();
    b.start();
    for (let n = 0; n < 50; n++)
      await store.append('pro-two', [absence('pro-two', n)], { expectedVersion: 'any' });
    await eventually(async () => expect(await outboxDepth(ctx)).toBe(0));
    // The standby polls for the lock many times meanwhile; each poll must hand its client back clean.
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all([a.stop(), b.stop()]);
    process.off('warning', onWarning);
    expect([a.publishedCount, b.publishedCount].filter((n) => n > 0)).toHaveLength(1);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('OutboxRelay killed between commit and publish', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ streams: ['availability'] });
  });
  afterAll(() => ctx.cleanup());

  it('delivers every event to JetStream exactly once after repeated SIGKILLs', async () => {
    const store = new EventStore(ctx.pool, ctx.naming);
    const ids: string[] = [];
    for (let pro = 0; pro < 40; pro++) {
      for (let batch = 0; batch < 10; batch++) {
        const events = Array.from({ length: 10 }, (_, i) => absence(`pro-${pro}`, batch * 10 + i));
        const result = await store.append(`pro-${pro}`, events, { expectedVersion: batch * 10 });
        ids.push(...result.events.map((e) => e.id));
      }
    }
    const env = { TEST_SCHEMA: ctx.schema, DATABASE_URL: ctx.databaseUrl, NATS_URL: ctx.natsUrl };
    let depth = await outboxDepth(ctx);
    for (let round = 0; round < 6 && depth > 0; round++) {
      const worker = spawnTs('libs/eventing/test/fixtures/relay-worker.ts', env);
      const output = collectOutput(worker);
      await eventually(async () => expect(output()).toContain('relay started'), 20_000);
      // Kill it while it is mid-flight: some rows published and not yet deleted.
      await eventually(async () => expect(await outboxDepth(ctx)).toBeLessThan(depth), 20_000, 5);
      worker.kill('SIGKILL');
      await waitForExit(worker);
      depth = await outboxDepth(ctx);
    }
    const relay = new OutboxRelay(ctx.pool, ctx.js, { lockName: ctx.schema, pollIntervalMs: 50 });
    relay.start();
    await eventually(async () => expect(await outboxDepth(ctx)).toBe(0), 30_000);
    await relay.stop();
    expectExactlyOnce(await readJetStream(ctx, 'availability'), ids);
  });
});

describe('OutboxRelay across a NATS restart', () => {
  let nats: NatsServerHandle;
  let ctx: TestContext;
  beforeAll(async () => {
    nats = await startNatsServer();
    ctx = await createTestContext({ streams: ['availability'], natsUrl: nats.url });
  });
  afterAll(async () => {
    await ctx.cleanup();
    await nats.dispose();
  });

  it('keeps events in the outbox while NATS is down and publishes them, once, when it is back', async () => {
    const store = new EventStore(ctx.pool, ctx.naming);
    const relay = new OutboxRelay(ctx.pool, ctx.js, {
      lockName: ctx.schema,
      pollIntervalMs: 50,
      publishTimeoutMs: 500,
    });
    relay.start();
    const ids: string[] = [];
    const appendSome = async (from: number) => {
      for (let n = from; n < from + 20; n++) {
        const { events } = await store.append('pro-r', [absence('pro-r', n)], {
          expectedVersion: 'any',
        });
        ids.push(events[0]!.id);
      }
    };
    await appendSome(0);
    await eventually(async () => expect(await outboxDepth(ctx)).toBe(0));
    await nats.stop();
    await appendSome(20);
    expect(await outboxDepth(ctx)).toBeGreaterThan(0);
    await nats.restart();
    await appendSome(40);
    await eventually(async () => expect(await outboxDepth(ctx)).toBe(0), 30_000);
    await relay.stop();
    expectExactlyOnce(await readJetStream(ctx, 'availability'), ids);
  });
});
