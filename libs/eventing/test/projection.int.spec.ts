import { describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '@cs/eventing';
import { eventually } from '@cs/testing';
import { appliedProjection } from './fixtures/applied-projection';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const backbone = useBackbone();
const rows = async (table: string) =>
  (await backbone.ctx.pool.query(`SELECT * FROM ${table} ORDER BY stream_id`)).rows;

describe('ProjectionRunner', () => {
  it('rebuilds from sequence 1 to the same read model as the live one, and verify says so', async () => {
    const projection = new ProjectionRunner(appliedProjection, backbone.runtime());
    await projection.start();
    for (let n = 0; n < 30; n++) {
      for (let p = 0; p < 6; p++)
        await backbone.store.append(`pro-${p}`, [absence(`pro-${p}`, n)], { expectedVersion: n });
    }
    await eventually(async () =>
      expect((await rows(projection.tables.streams)).map((r) => r.applied)).toEqual([
        30, 30, 30, 30, 30, 30,
      ]),
    );
    const live = await rows(projection.tables.streams);

    expect(await projection.verify()).toEqual({
      equal: true,
      differences: { streams: { count: 0, rows: [] } },
    });
    const report = await projection.rebuild();
    expect(report.events).toBe(180);
    expect(await rows(projection.tables.streams)).toEqual(live);

    // The live model keeps following the bus after the swap, without applying anything twice.
    await backbone.store.append('pro-0', [absence('pro-0', 30)], { expectedVersion: 30 });
    await eventually(async () =>
      expect((await rows(projection.tables.streams))[0].applied).toBe(31),
    );
    expect((await rows(projection.tables.streams)).every((r) => r.violations === 0)).toBe(true);
    await projection.stop();
  });

  it('finds a read model that differs from its log, and a rebuild repairs it', async () => {
    const projection = new ProjectionRunner(appliedProjection, backbone.runtime());
    await projection.start();
    await backbone.ctx.pool.query(
      `UPDATE ${projection.tables.streams} SET applied = applied + 1 WHERE stream_id = 'pro-1'`,
    );
    const report = await projection.verify();
    expect(report).toEqual({
      equal: false,
      differences: {
        streams: {
          count: 2,
          rows: [{ key: { stream_id: 'pro-1' }, live: { applied: 31 }, rebuilt: { applied: 30 } }],
        },
      },
    });
    await projection.rebuild();
    expect(await projection.verify()).toMatchObject({ equal: true });
    await projection.stop();
  });

  it('builds a changed version beside the served one and switches to it once caught up', async () => {
    await backbone.ctx.pool.query(`DELETE FROM proj_applied_streams WHERE stream_id = 'pro-2'`);
    const next = new ProjectionRunner({ ...appliedProjection, version: 2 }, backbone.runtime());
    await next.start();
    await eventually(async () =>
      expect((await rows(next.tables.streams)).find((r) => r.stream_id === 'pro-2')?.applied).toBe(
        30,
      ),
    );
    await next.stop();
  });

  it('lets two instances that start with a new version rebuild one at a time, into one model', async () => {
    // Given the model damaged, and two instances of version 3 starting together
    await backbone.ctx.pool.query(`DELETE FROM proj_applied_streams WHERE stream_id = 'pro-3'`);
    const instances = [0, 1].map(
      () => new ProjectionRunner({ ...appliedProjection, version: 3 }, backbone.runtime()),
    );
    // When both start, and both are asked for a rebuild at once
    await Promise.all(instances.map((i) => i.start()));
    const reports = await Promise.all(instances.map((i) => i.rebuild()));
    // Then each rebuild saw the whole log, and the model equals it
    expect(reports.map((r) => r.events)).toEqual([181, 181]);
    expect((await rows(instances[0]!.tables.streams)).map((r) => r.applied)).toEqual([
      31, 30, 30, 30, 30, 30,
    ]);
    expect(await instances[1]!.verify()).toMatchObject({ equal: true });
    await Promise.all(instances.map((i) => i.stop()));
  });
});
