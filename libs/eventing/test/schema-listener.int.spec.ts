import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaListener } from '@cs/eventing';
import { createTestContext, eventually, type TestContext } from '@cs/testing';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.cleanup());

const CHANNEL = 'listener_test:';
const notify = (payload: string) =>
  ctx.pool.query('SELECT pg_notify($1 || current_schema(), $2)', [CHANNEL, payload]);

/** The backend holding this schema's LISTEN, as PostgreSQL lists it. */
async function listeningBackend(): Promise<number> {
  const { rows } = await ctx.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE query = $1`,
    [`LISTEN "${CHANNEL}${ctx.schema}"`],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.pid;
}

describe('a LISTEN connection of its own', () => {
  it('hears notifications, and after its backend is terminated listens again and hears later ones', async () => {
    const heard: string[] = [];
    let loads = 0;
    let losses = 0;
    const errors: string[] = [];
    const listener = new SchemaListener({
      pool: ctx.pool,
      channelPrefix: CHANNEL,
      onNotification: (payload) => heard.push(payload),
      onListening: async (current) => {
        loads += current() ? 1 : 0;
      },
      onLost: () => (losses += 1),
      onError: (error) => errors.push(error.message),
      relistenMs: 50,
    });
    try {
      await listener.start();
      expect(loads).toBe(1);
      await notify('before');
      await eventually(async () => expect(heard).toEqual(['before']));

      const first = await listeningBackend();
      await ctx.pool.query('SELECT pg_terminate_backend($1)', [first]);
      await eventually(async () => expect(loads).toBe(2));
      expect(losses).toBe(1);
      expect(await listeningBackend()).not.toBe(first);

      await notify('after');
      await eventually(async () => expect(heard).toEqual(['before', 'after']));
      expect(errors).toEqual([]);
    } finally {
      listener.stop();
    }
  });

  it('stops for good: its connection is closed and not opened again', async () => {
    const listener = new SchemaListener({
      pool: ctx.pool,
      channelPrefix: CHANNEL,
      onNotification: () => undefined,
      onError: () => undefined,
      relistenMs: 10,
    });
    await listener.start();
    await listeningBackend();
    listener.stop();
    await eventually(async () => {
      const { rows } = await ctx.pool.query(`SELECT 1 FROM pg_stat_activity WHERE query = $1`, [
        `LISTEN "${CHANNEL}${ctx.schema}"`,
      ]);
      expect(rows).toEqual([]);
    });
  });
});
