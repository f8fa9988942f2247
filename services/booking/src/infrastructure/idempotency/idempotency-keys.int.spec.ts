import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { systemActor } from '@cs/contracts';
import { EventStore, newId, runInContext, withUnitOfWork } from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import { bookingMigrations } from '../migrations';
import { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyKeys } from './idempotency-keys';

let ctx: TestContext;
let store: EventStore;
let keys: IdempotencyKeys;

beforeAll(async () => {
  ctx = await createTestContext({
    streams: [],
    migrations: bookingMigrations,
    entities: [IdempotencyKey],
  });
  store = new EventStore(ctx.pool, ctx.naming);
  keys = new IdempotencyKeys(ctx.dataSource.getRepository(IdempotencyKey));
});
afterAll(() => ctx.cleanup());

const policySet = {
  type: 'calendar.sync_policy_set',
  data: { proId: 'pro-1', mirroredEdits: 'platform_wins' },
};

/** Claims a key and appends an event in one unit of work, then fails when told to. */
function claimAndAppend(key: string, streamId: string, failAfterAppend: boolean) {
  return runInContext(
    { correlationId: newId(), causationId: null, actor: systemActor('test') },
    () =>
      withUnitOfWork(ctx.dataSource, async ({ manager, client }) => {
        expect(await keys.claim(manager, { scope: 'test', key, requestHash: 'h' })).toBeNull();
        await store.appendWith(client, streamId, [policySet], { expectedVersion: 'any' });
        await keys.answer(manager, { scope: 'test', key }, { status: 201, body: { ok: true } });
        if (failAfterAppend) throw new Error('failed after the append');
      }),
  );
}

const keyRows = (key: string) =>
  ctx.pool.query('SELECT status, response FROM idempotency_keys WHERE key = $1', [key]);
const eventRows = (streamId: string) =>
  ctx.pool.query('SELECT type FROM events WHERE stream_id = $1', [streamId]);

describe('an idempotency key and events in one unit of work', () => {
  it('commits both', async () => {
    await claimAndAppend('k-commit', 'stream-commit', false);
    expect((await keyRows('k-commit')).rows).toEqual([{ status: 201, response: { ok: true } }]);
    expect((await eventRows('stream-commit')).rows).toEqual([{ type: 'calendar.sync_policy_set' }]);
  });

  it('rolls both back when the work fails after the append', async () => {
    await expect(claimAndAppend('k-fail', 'stream-fail', true)).rejects.toThrow(
      'failed after the append',
    );
    expect((await keyRows('k-fail')).rows).toEqual([]);
    expect((await eventRows('stream-fail')).rows).toEqual([]);
    const { rows } = await ctx.pool.query('SELECT count(*)::int AS n FROM outbox');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('gives a second claim of a key the first one, with its answer', async () => {
    const earlier = await withUnitOfWork(ctx.dataSource, ({ manager }) =>
      keys.claim(manager, { scope: 'test', key: 'k-commit', requestHash: 'other' }),
    );
    expect(earlier).toMatchObject({ requestHash: 'h', status: 201, response: { ok: true } });
  });
});
