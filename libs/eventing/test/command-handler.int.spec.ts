import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defineEvent, EventRegistry } from '@cs/contracts';
import {
  CommandHandler,
  ConcurrencyError,
  type Decider,
  EventStore,
  FoldCache,
  type HandleOptions,
} from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import { z } from 'zod';

/** A counter whose event was renamed in v2 (`n` became `by`), so loading old events upcasts. */
const counted = defineEvent({
  type: 'test.counted',
  context: 'availability',
  schemaVersion: 2,
  schema: z.object({ counter: z.string(), by: z.number().int() }),
  upcasters: {
    1: (data) => ({
      counter: (data as { counter: string }).counter,
      by: (data as { n: number }).n,
    }),
  },
});

interface Count {
  total: number;
}
interface CountUp {
  counter: string;
  by: number;
}
type Counted = { type: 'test.counted'; data: { counter: string; by: number } };

/** The counter's decider; `decided` says when a command has read its state (two at once race). */
function counterDecider(
  decided: (total: number) => void = () => {},
): Decider<Count, CountUp, Counted> {
  return {
    initialState: () => ({ total: 0 }),
    evolve: (state, event) => ({ total: state.total + event.data.by }),
    decide: (command, state) => {
      decided(state.total);
      return [{ type: 'test.counted', data: { counter: command.counter, by: command.by } }];
    },
  };
}

let ctx: TestContext;
let store: EventStore;

beforeAll(async () => {
  ctx = await createTestContext({ streams: ['availability'] });
  store = new EventStore(ctx.pool, ctx.naming, new EventRegistry([counted]));
  await ctx.pool.query(
    'CREATE TABLE counter_totals (counter text PRIMARY KEY, total int CHECK (total < 100))',
  );
});
afterAll(() => ctx.cleanup());

const rowsOf = async (streamId: string) => {
  const { rows } = await ctx.pool.query<{ events: number; outbox: number }>(
    `SELECT (SELECT count(*)::int FROM events WHERE stream_id = $1) AS events,
            (SELECT count(*)::int FROM outbox WHERE payload::jsonb->>'streamId' = $1) AS outbox`,
    [streamId],
  );
  return rows[0]!;
};

/** Two commands on one stream at once: the first holds its transaction open until the second has decided. */
async function race(options: { lock?: boolean; second?: HandleOptions<Count, Counted> }) {
  const streamId = `counter-race-${String(options.lock)}-${options.second?.maxRetries ?? 'x'}`;
  let decisions = 0;
  let secondDecided!: () => void;
  const bothDecided = new Promise<void>((resolve) => (secondDecided = resolve));
  const handler = new CommandHandler(
    store,
    counterDecider(() => {
      if (++decisions === 2) secondDecided();
    }),
    { lock: options.lock },
  );
  const first = handler.handle(
    streamId,
    { counter: 'race', by: 1 },
    {
      also: () => (options.lock ? Promise.resolve() : bothDecided),
    },
  );
  // Under the lock the second waits for the first, so it can only decide once the first is done.
  if (!options.lock) while (decisions === 0) await new Promise((r) => setTimeout(r, 5));
  const second = handler.handle(streamId, { counter: 'race', by: 2 }, options.second);
  const settled = await Promise.allSettled([first, second]);
  return { settled, decisions: () => decisions, streamId, handler };
}

describe('CommandHandler', () => {
  it('folds old events upcast through the event registry before it decides', async () => {
    await ctx.pool.query(
      `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at)
       VALUES (gen_random_uuid(), 'counter-old', 1, 'test.counted', 1, '{"counter":"old","n":3}',
               '{"correlationId":"c","causationId":null,"actor":{"kind":"system","id":"test"}}', now(), now())`,
    );
    const handler = new CommandHandler(store, counterDecider());
    expect(await store.transaction((tx) => handler.load(tx, 'counter-old'))).toEqual({
      state: { total: 3 },
      version: 1,
    });
    const result = await handler.handle('counter-old', { counter: 'old', by: 2 });
    expect(result).toMatchObject({ version: 2, state: { total: 5 } });
    expect(result.events[0]).toMatchObject({ schemaVersion: 2, data: { counter: 'old', by: 2 } });
  });

  it('runs a command that lost the race to its stream again', async () => {
    const { settled, decisions, streamId, handler } = await race({});
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(decisions()).toBe(3);
    const final = await store.transaction((tx) => handler.load(tx, streamId));
    expect(final).toEqual({ state: { total: 3 }, version: 2 });
  });

  it('reports the lost race when told not to run again', async () => {
    const { settled, streamId } = await race({ second: { maxRetries: 0 } });
    expect(settled[0]!.status).toBe('fulfilled');
    expect(settled[1]!.status).toBe('rejected');
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(await rowsOf(streamId)).toEqual({ events: 1, outbox: 1 });
  });

  it('with the lock, queues the second command behind the first instead of racing', async () => {
    const { settled, decisions } = await race({ lock: true, second: { maxRetries: 0 } });
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(decisions()).toBe(2);
  });

  it('refuses a version the caller saw that is no longer the stream’s, without running again', async () => {
    const handler = new CommandHandler(store, counterDecider());
    await handler.handle('counter-match', { counter: 'match', by: 1 });
    await expect(
      handler.handle('counter-match', { counter: 'match', by: 1 }, { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('commits the extra writes with the events, and a failing one takes the events with it', async () => {
    const handler = new CommandHandler(store, counterDecider());
    const also: HandleOptions<Count, Counted>['also'] = async (tx, { state }) => {
      await tx.query(
        `INSERT INTO counter_totals VALUES ('tx', $1) ON CONFLICT (counter) DO UPDATE SET total = $1`,
        [state.total],
      );
    };
    await handler.handle('counter-tx', { counter: 'tx', by: 60 }, { also });
    await expect(handler.handle('counter-tx', { counter: 'tx', by: 60 }, { also })).rejects.toThrow(
      /counter_totals_total_check/,
    );
    expect(await rowsOf('counter-tx')).toEqual({ events: 1, outbox: 1 });
    const { rows } = await ctx.pool.query("SELECT total FROM counter_totals WHERE counter = 'tx'");
    expect(rows).toEqual([{ total: 60 }]);
  });

  it('starts from the cached fold of a committed transaction and catches up on what others wrote', async () => {
    const cache = new FoldCache<Count>();
    const cached = new CommandHandler(store, counterDecider(), { cache });
    await cached.handle('counter-cache', { counter: 'cache', by: 1 });
    expect(cache.get('counter-cache')).toEqual({ state: { total: 1 }, version: 1 });
    await new CommandHandler(store, counterDecider()).handle('counter-cache', {
      counter: 'cache',
      by: 10,
    });
    const result = await cached.handle('counter-cache', { counter: 'cache', by: 100 });
    expect(result).toMatchObject({ version: 3, state: { total: 111 } });
    expect(cache.get('counter-cache')?.version).toBe(3);
  });
});
