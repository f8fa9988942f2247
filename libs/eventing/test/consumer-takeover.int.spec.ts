import { describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '@cs/eventing';
import { collectOutput, eventually, spawnTs, waitForExit } from '@cs/testing';
import { appliedProjection } from './fixtures/applied-projection';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const backbone = useBackbone();

describe('a consumer taking over from a killed instance', () => {
  it('waits for the events the dead instance held until their ack deadline, and applies each once, in order', async () => {
    // Long, so successors come back many times before what the dead instance held: none may give up.
    const ackWaitMs = 10_000;
    for (let n = 0; n < 30; n++)
      for (let p = 0; p < 4; p++)
        await backbone.store.append(`takeover-${p}`, [absence(`takeover-${p}`, n)], {
          expectedVersion: n,
        });
    const applied = async () => {
      const { rows } = await backbone.ctx.pool
        .query(
          `SELECT stream_id, applied, last_version, violations FROM proj_applied_streams
            WHERE stream_id LIKE 'takeover-%' ORDER BY stream_id`,
        )
        .catch(() => ({ rows: [] }));
      return rows as Array<{ applied: number }>;
    };
    const total = async () => (await applied()).reduce((sum, row) => sum + row.applied, 0);
    for (let round = 0; round < 3; round++) {
      const worker = spawnTs('libs/eventing/test/fixtures/consumer-worker.ts', {
        TEST_SCHEMA: backbone.ctx.schema,
        TEST_PREFIX: backbone.ctx.prefix,
        DATABASE_URL: backbone.ctx.databaseUrl,
        NATS_URL: backbone.ctx.natsUrl,
        TEST_ACK_WAIT_MS: String(ackWaitMs),
        // Slow batches: the kill finds events fetched and not yet applied.
        TEST_APPLY_DELAY_MS: '300',
      });
      const output = collectOutput(worker);
      await eventually(async () => expect(output()).toContain('consumer started'), 20_000);
      const before = await total();
      await eventually(async () => expect(await total()).toBeGreaterThan(before), 20_000, 5);
      worker.kill('SIGKILL');
      await waitForExit(worker);
    }
    expect(await total()).toBeLessThan(120);

    const runner = new ProjectionRunner(appliedProjection, backbone.runtime(), { ackWaitMs });
    await runner.start();
    try {
      await eventually(
        async () =>
          expect(await applied()).toEqual(
            [0, 1, 2, 3].map((p) => ({
              stream_id: `takeover-${p}`,
              applied: 30,
              last_version: 30,
              violations: 0,
            })),
          ),
        50_000,
        200,
      );
    } finally {
      await runner.stop();
    }
  }, 90_000);
});
