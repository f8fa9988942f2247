import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyError, EventStore, runInContext, withTransaction } from '@cs/eventing';
import { createTestContext, eventually, type TestContext } from '@cs/testing';
import { absence } from './fixtures/events';

let ctx: TestContext;
let store: EventStore;

beforeAll(async () => {
  ctx = await createTestContext({ streams: ['availability'] });
  store = new EventStore(ctx.pool, ctx.naming);
});
afterAll(() => ctx.cleanup());

const count = async (table: string, streamId: string) => {
  const column = table === 'events' ? 'stream_id' : "(payload::jsonb->>'streamId')";
  const { rows } = await ctx.pool.query(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`,
    [streamId],
  );
  return rows[0].n as number;
};

describe('EventStore', () => {
  it('appends with an expected version and reads the stream back in order', async () => {
    const first = await store.append('pro-a', [absence('pro-a', 1), absence('pro-a', 2)], {
      expectedVersion: 'no_stream',
    });
    expect(first.nextVersion).toBe(2);
    await store.append('pro-a', [absence('pro-a', 3)], { expectedVersion: 2 });
    const events = await store.readStream('pro-a');
    expect(
      events.map((e) => [e.streamVersion, (e.data as { absenceId: string }).absenceId]),
    ).toEqual([
      [1, 'a-1'],
      [2, 'a-2'],
      [3, 'a-3'],
    ]);
    expect(events[0]!.schemaVersion).toBe(1);
  });

  it('refuses a stale expected version with a typed error', async () => {
    await store.append('pro-b', [absence('pro-b', 1)], { expectedVersion: 0 });
    await expect(
      store.append('pro-b', [absence('pro-b', 2)], { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(
      store.append('pro-b', [absence('pro-b', 2)], { expectedVersion: 'no_stream' }),
    ).rejects.toMatchObject({
      actual: 1,
    });
  });

  it('lets exactly one of many concurrent appends at the same version win, and writes nothing of the others', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.append('pro-c', [absence('pro-c', i * 10), absence('pro-c', i * 10 + 1)], {
          expectedVersion: 0,
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((a) => a.reason instanceof ConcurrencyError)).toBe(true);
    expect(await count('events', 'pro-c')).toBe(2);
    expect(await count('outbox', 'pro-c')).toBe(2);
  });

  it('validates event data before anything is stored', async () => {
    await expect(
      store.append(
        'pro-d',
        [absence('pro-d', 1), { type: 'pro.absence_added', data: { proId: 'pro-d' } }],
        { expectedVersion: 0 },
      ),
    ).rejects.toThrow(/invalid data for pro.absence_added/);
    await expect(
      store.append('pro-d', [{ type: 'pro.teleported', data: {} }], { expectedVersion: 0 }),
    ).rejects.toThrow(/unknown event type/);
    expect(await count('events', 'pro-d')).toBe(0);
  });

  it('carries the correlation and causation of the work in progress into the envelope', async () => {
    const actor = { kind: 'pro' as const, id: 'pro-e' };
    const result = await runInContext(
      { correlationId: 'corr-1', causationId: 'cause-1', actor },
      () => store.append('pro-e', [absence('pro-e', 1)], { expectedVersion: 0 }),
    );
    const [event] = await store.readStream('pro-e');
    expect(event).toMatchObject({ correlationId: 'corr-1', causationId: 'cause-1', actor });
    expect(event!.id).toBe(result.events[0]!.id);
  });

  it('never reads the global log past a transaction still in flight', async () => {
    const { rows } = await ctx.pool.query(
      'SELECT coalesce(max(global_position), 0) AS n FROM events',
    );
    const from = Number(rows[0].n);
    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await store.appendWith(client, 'pro-late', [absence('pro-late', 1)], { expectedVersion: 0 });
      await store.append('pro-early', [absence('pro-early', 1)], { expectedVersion: 0 });
      expect(await store.readAll(from)).toEqual([]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    // Transactions of other test files share the cluster's horizon, so it may take a moment.
    await eventually(async () =>
      expect((await store.readAll(from)).map((e) => e.envelope.streamId).sort()).toEqual([
        'pro-early',
        'pro-late',
      ]),
    );
  });

  it('appends inside a caller transaction that rolls back as a whole', async () => {
    await expect(
      withTransaction(ctx.pool, async (tx) => {
        await store.appendWith(tx, 'pro-f', [absence('pro-f', 1)], { expectedVersion: 0 });
        throw new Error('the rest of the work failed');
      }),
    ).rejects.toThrow('the rest of the work failed');
    expect(await count('events', 'pro-f')).toBe(0);
    expect(await count('outbox', 'pro-f')).toBe(0);
  });
});
