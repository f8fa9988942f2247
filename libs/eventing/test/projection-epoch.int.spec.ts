import { describe, expect, it } from '@jest/globals';
import { ProjectionRunner, projectionMigrations } from '@cs/eventing';
import { eventually } from '@cs/testing';
import { appliedProjection } from './fixtures/applied-projection';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const backbone = useBackbone();
const options = { tickMs: 100, leaseTtlMs: 2_000, ackWaitMs: 2_000 };
const PROS = ['pro-0', 'pro-1', 'pro-2'];
let written = 0;

const query = async <R>(sql: string, params: unknown[] = []) =>
  (await backbone.ctx.pool.query(sql, params)).rows as R[];

const registry = () =>
  query<{ generation: number; version: number; epoch: number; state: string }>(
    `SELECT generation, version, epoch, state FROM projection_generations
     WHERE projection = 'applied' ORDER BY generation`,
  );

const tableExists = async (relation: string) =>
  (await query<{ r: string | null }>('SELECT to_regclass($1) AS r', [relation]))[0]!.r !== null;

/** One more event for each Pro. */
async function writeRound() {
  for (const pro of PROS)
    await backbone.store.append(pro, [absence(pro, written)], { expectedVersion: written });
  written++;
}

/** Every Pro's events, each applied once and in order. */
async function expectModelHoldsEverything() {
  expect(
    await query(
      'SELECT stream_id, applied, violations FROM proj_applied_streams ORDER BY stream_id',
    ),
  ).toEqual(PROS.map((stream_id) => ({ stream_id, applied: written, violations: 0 })));
}

const runner = (epoch: number | undefined, version = 1) =>
  new ProjectionRunner({ ...appliedProjection, version }, backbone.runtime(), {
    ...options,
    epoch,
  });

describe('the projection epoch (PROJECTION_EPOCH)', () => {
  it('at 0, keeps serving a model whose generations were recorded before epochs, without a rebuild', async () => {
    // Given a model built and recorded by a release that knew no epoch
    const before = runner(undefined);
    await before.start();
    for (let n = 0; n < 5; n++) await writeRound();
    await eventually(expectModelHoldsEverything);
    await before.stop();
    await backbone.ctx.pool.query('ALTER TABLE projection_generations DROP COLUMN epoch');
    // What the epoch's migration does to such a database.
    await backbone.ctx.pool.query(projectionMigrations[0]!.sql);

    // When an instance at epoch 0 starts, and events keep coming
    const now = runner(0);
    await now.start();
    await writeRound();

    // Then the same generation serves and applies them: nothing was built
    await eventually(expectModelHoldsEverything);
    expect(await registry()).toEqual([{ generation: 1, version: 1, epoch: 0, state: 'active' }]);
    expect(await now.verify()).toMatchObject({ equal: true });
    await now.stop();
  });

  it('raised, builds the same version anew beside the active model, switches, and drops the old one', async () => {
    // Given an instance at epoch 0 serving while events are written
    const old = runner(0);
    await old.start();
    await writeRound();

    // When an instance with the epoch raised starts beside it
    const raised = runner(1);
    await raised.start();
    await writeRound();
    await eventually(async () =>
      expect(await registry()).toEqual([
        { generation: 1, version: 1, epoch: 0, state: 'retiring' },
        { generation: 2, version: 1, epoch: 1, state: 'active' },
      ]),
    );
    await writeRound();

    // Then the new model holds every event once, and the old one goes once its instance stops
    await eventually(expectModelHoldsEverything);
    expect(await raised.verify()).toMatchObject({ equal: true });
    await old.stop();
    await eventually(async () => {
      expect(await registry()).toEqual([{ generation: 2, version: 1, epoch: 1, state: 'active' }]);
      expect(await tableExists('proj_applied_streams__g1')).toBe(false);
    });

    // And an instance left at the lower epoch applies nothing and cannot rebuild
    const behind = runner(0);
    await behind.start();
    expect(behind.liveConsumers()).toEqual([]);
    await expect(behind.rebuild()).rejects.toThrow('a newer version than 1 (epoch 0) is served');
    await behind.stop();
    await raised.stop();
  });

  it('lets a new code version win over a raised epoch, so the epoch may return to 0 with it', async () => {
    const next = runner(0, 2);
    await next.start();
    await writeRound();
    await eventually(async () =>
      expect((await registry()).filter((g) => g.state === 'active')).toEqual([
        { generation: 3, version: 2, epoch: 0, state: 'active' },
      ]),
    );
    await eventually(expectModelHoldsEverything);
    expect(await next.verify()).toMatchObject({ equal: true });
    await next.stop();
  });
});
