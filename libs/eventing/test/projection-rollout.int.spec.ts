import { describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '@cs/eventing';
import { collectOutput, eventually, spawnTs, waitForExit } from '@cs/testing';
import { appliedProjection } from './fixtures/applied-projection';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const backbone = useBackbone();
const options = { tickMs: 100, leaseTtlMs: 2_000, ackWaitMs: 2_000 };
const query = async <R>(sql: string, params: unknown[] = []) =>
  (await backbone.ctx.pool.query(sql, params)).rows as R[];

/** What the model must hold for every stream the log has: each event once, in order. */
async function expectModelEqualsLog(tag: string) {
  const log = await query(
    `SELECT stream_id, count(*)::int AS applied, max(stream_version) AS last_version, 0 AS violations
     FROM events WHERE stream_id LIKE $1 GROUP BY stream_id ORDER BY stream_id`,
    [`${tag}-%`],
  );
  const model = await query(
    `SELECT stream_id, applied, last_version, violations FROM proj_applied_streams
     WHERE stream_id LIKE $1 ORDER BY stream_id`,
    [`${tag}-%`],
  );
  expect(model).toEqual(log);
}

const activeVersion = async () =>
  (
    await query<{ version: number }>(
      `SELECT version FROM projection_generations WHERE projection = 'applied' AND state = 'active'`,
    )
  )[0]?.version;

const exists = async (relation: string) =>
  (await query<{ r: string | null }>('SELECT to_regclass($1) AS r', [relation]))[0]!.r !== null;

async function durableExists(name: string) {
  const { jsm, naming } = backbone.ctx;
  const names: string[] = [];
  for await (const info of jsm.consumers.list(naming.stream('availability'))) names.push(info.name);
  return names.includes(naming.durable(name));
}

/** Appends to a few Pros, one event at a time, until stopped. */
function keepWriting(tag: string) {
  let writing = true;
  let n = 0;
  const done = (async () => {
    while (writing) {
      for (let p = 0; p < 4; p++)
        await backbone.store.append(`${tag}-${p}`, [absence(`${tag}-${p}`, n)], {
          expectedVersion: n,
        });
      n++;
    }
  })();
  return async () => {
    writing = false;
    await done;
  };
}

/** Reads the model's total until stopped, and every total it saw. */
function keepReading(tag: string) {
  let reading = true;
  const totals: number[] = [];
  const done = (async () => {
    while (reading) {
      const [row] = await query<{ n: number }>(
        `SELECT coalesce(sum(applied), 0)::int AS n FROM proj_applied_streams WHERE stream_id LIKE $1`,
        [`${tag}-%`],
      );
      totals.push(row!.n);
    }
  })();
  return async () => {
    reading = false;
    await done;
    return totals;
  };
}

describe('a projection version rolled out while the system runs', () => {
  it('builds the new version beside the old one, switches without readers seeing it go back, and drops the old one once its instance stops', async () => {
    // Given an instance of version 1 serving, and events being written all along
    const old = new ProjectionRunner(appliedProjection, backbone.runtime(), options);
    await old.start();
    const stopWriting = keepWriting('roll');
    const stopReading = keepReading('roll');

    // When an instance of version 2 starts beside it
    const next = new ProjectionRunner(
      { ...appliedProjection, version: 2 },
      backbone.runtime(),
      options,
    );
    await next.start();
    await eventually(async () => expect(await activeVersion()).toBe(2), 30_000);
    // The old instance keeps its lease, so its tables stay while it runs.
    expect(await exists('proj_applied_streams__g1')).toBe(true);
    await stopWriting();
    const totals = await stopReading();

    // Then readers never saw the model shrink, and the new one holds every event once
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.filter((n, i) => i > 0 && n < totals[i - 1]!)).toEqual([]);
    await eventually(() => expectModelEqualsLog('roll'), 20_000);
    expect(await next.verify()).toMatchObject({ equal: true });

    // And once the old instance stops, its tables, positions and consumer go
    await old.stop();
    await eventually(async () => {
      expect(await exists('proj_applied_streams__g1')).toBe(false);
      expect(await durableExists('projection_applied_availability')).toBe(false);
      const [positions] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM consumer_positions WHERE consumer = 'projection_applied_availability'`,
      );
      expect(positions!.n).toBe(0);
    }, 20_000);
    await next.stop();
  });

  it('lists the rows where the model and its log differ', async () => {
    const runner = new ProjectionRunner(
      { ...appliedProjection, version: 2 },
      backbone.runtime(),
      options,
    );
    await runner.start();
    // Tamper only once the model has applied everything, so no apply in flight undoes it.
    await eventually(() => expectModelEqualsLog('roll'));
    await backbone.ctx.pool.query(
      `UPDATE proj_applied_streams SET last_version = 99 WHERE stream_id = 'roll-1'`,
    );
    await backbone.ctx.pool.query(`DELETE FROM proj_applied_streams WHERE stream_id = 'roll-2'`);
    const report = await runner.verify();
    expect(report.equal).toBe(false);
    expect(report.differences.streams!.count).toBe(3);
    expect(report.differences.streams!.rows).toEqual([
      {
        key: { stream_id: 'roll-1' },
        live: { last_version: 99 },
        rebuilt: { last_version: expect.any(Number) },
      },
      {
        key: { stream_id: 'roll-2' },
        live: null,
        rebuilt: expect.objectContaining({ violations: 0 }),
      },
    ]);
    await runner.rebuild();
    expect(await runner.verify()).toMatchObject({ equal: true });
    await expectModelEqualsLog('roll');
    await runner.stop();
  });

  it('resumes a build whose process was killed midway, and switches once it has caught up', async () => {
    for (let n = 0; n < 40; n++)
      for (let p = 0; p < 8; p++)
        await backbone.store.append(`crash-${p}`, [absence(`crash-${p}`, n)], {
          expectedVersion: n,
        });
    const env = {
      TEST_SCHEMA: backbone.ctx.schema,
      TEST_PREFIX: backbone.ctx.prefix,
      DATABASE_URL: backbone.ctx.databaseUrl,
      NATS_URL: backbone.ctx.natsUrl,
      TEST_VERSION: '3',
      TEST_APPLY_DELAY_MS: '20',
    };
    const built = async () =>
      (
        await query<{ n: number }>(
          `SELECT coalesce(sum(stream_version), 0)::int AS n FROM consumer_positions
           WHERE consumer = 'projection_applied_availability__g4'`,
        )
      )[0]!.n;
    // Given a build of version 3 under way in another process
    const worker = spawnTs('libs/eventing/test/fixtures/consumer-worker.ts', env);
    const output = collectOutput(worker);
    await eventually(async () => expect(output()).toContain('consumer started'), 20_000);
    await eventually(async () => expect(await built()).toBeGreaterThan(20), 20_000, 5);
    // When that process is killed midway, and another instance of version 3 starts
    worker.kill('SIGKILL');
    await waitForExit(worker);
    expect(await activeVersion()).toBe(2);
    const runner = new ProjectionRunner(
      { ...appliedProjection, version: 3 },
      backbone.runtime(),
      options,
    );
    await runner.start();
    // Then the build resumes where it was, switches, and holds each event once
    await eventually(async () => expect(await activeVersion()).toBe(3), 60_000);
    await expectModelEqualsLog('crash');
    await expectModelEqualsLog('roll');
    expect(await runner.verify()).toMatchObject({ equal: true });
    await runner.stop();
  });
});
