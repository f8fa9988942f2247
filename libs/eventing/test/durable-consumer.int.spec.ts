import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  DEAD_LETTER_HEADERS,
  DurableConsumer,
  ProjectionRunner,
  runInContext,
  skipEvent,
  withTransaction,
  type ConsumedEvent,
} from '@cs/eventing';
import { collectOutput, eventually, spawnTs, waitForExit } from '@cs/testing';
import { appliedProjection } from './fixtures/applied-projection';
import { useBackbone } from './fixtures/backbone';
import { absence } from './fixtures/events';

const backbone = useBackbone();

async function appendMany(pros: number, perPro: number, tag: string) {
  for (let n = 0; n < perPro; n++) {
    for (let p = 0; p < pros; p++) {
      await backbone.store.append(`${tag}-${p}`, [absence(`${tag}-${p}`, n)], {
        expectedVersion: n,
      });
    }
  }
}

async function streamsTable(table: string, tag: string) {
  const { rows } = await backbone.ctx.pool.query(
    `SELECT stream_id, applied, last_version, violations FROM ${table} WHERE stream_id LIKE $1 ORDER BY stream_id`,
    [`${tag}-%`],
  );
  return rows as Array<{
    stream_id: string;
    applied: number;
    last_version: number;
    violations: number;
  }>;
}

async function deadLetters(consumer: string) {
  const name = backbone.ctx.naming.deadLetterStream;
  const info = await backbone.ctx.jsm.streams.info(name);
  const out: Array<{ reason: string; seq: string; data: string }> = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq++
  ) {
    const msg = await backbone.ctx.jsm.streams.getMessage(name, { seq });
    if (msg && msg.header.get(DEAD_LETTER_HEADERS.consumer) === consumer) {
      out.push({
        reason: msg.header.get(DEAD_LETTER_HEADERS.reason),
        seq: msg.header.get(DEAD_LETTER_HEADERS.streamSeq),
        data: msg.string(),
      });
    }
  }
  return out;
}

describe('DurableConsumer', () => {
  it('applies every event once, in order per stream, and skips a redelivered history', async () => {
    const projection = new ProjectionRunner(
      { ...appliedProjection, name: 'once' },
      backbone.runtime(),
    );
    await projection.start();
    await appendMany(8, 25, 'once');
    const expected = Array.from({ length: 8 }, (_, p) => ({
      stream_id: `once-${p}`,
      applied: 25,
      last_version: 25,
      violations: 0,
    }));
    await eventually(async () =>
      expect(await streamsTable(projection.tables.streams, 'once')).toEqual(expected),
    );
    await projection.stop();

    // Redeliver everything on purpose: a fresh durable starts again at sequence 1.
    for (const consumer of projection.liveConsumers()) {
      await backbone.ctx.jsm.consumers.delete(
        backbone.ctx.naming.stream('availability'),
        backbone.ctx.naming.durable(consumer.name),
      );
    }
    await projection.start();
    await eventually(async () => expect(await projection.liveConsumers()[0]!.lag()).toBe(0));
    await projection.stop();
    expect(await streamsTable(projection.tables.streams, 'once')).toEqual(expected);
  });

  it('sends a malformed event to the dead-letter subject with the reason and keeps going', async () => {
    const seen: ConsumedEvent[] = [];
    const consumer = new DurableConsumer(
      {
        name: 'malformed',
        stream: 'availability',
        handle: async (events) => void seen.push(...events),
      },
      backbone.runtime(),
    );
    await consumer.start();
    const subject = backbone.ctx.naming.subject('availability', 'pro.absence_added', 'bad');
    await backbone.ctx.js.publish(subject, '{"not": "an envelope"}');
    await backbone.ctx.js.publish(subject, 'not even json');
    await backbone.store.append('after-bad', [absence('after-bad', 1)], { expectedVersion: 0 });
    await eventually(async () =>
      expect(seen.some((e) => e.envelope.streamId === 'after-bad')).toBe(true),
    );
    const parked = await eventually(async () => {
      const found = await deadLetters('malformed');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(parked[0]!.reason).toMatch(/invalid event: malformed event envelope \(id: Required/);
    expect(parked[1]!.reason).toMatch(/invalid event/);
    expect(parked[1]!.data).toBe('not even json');
    await consumer.stop();
  });

  it('retries a failing handler with backoff, then dead-letters the event and applies the rest', async () => {
    let attempts = 0;
    let thrown = 0;
    const settled: boolean[] = [];
    const applied: string[] = [];
    const consumer = new DurableConsumer(
      {
        name: 'poison',
        stream: 'availability',
        maxAttempts: 3,
        handle: async (events, tx) => {
          for (const { envelope } of events) {
            if (envelope.streamId !== 'poison-1' && envelope.streamId !== 'poison-2') continue;
            if (envelope.streamId === 'poison-1') {
              // Counts the tries it gets on its own, after the batch it came in has failed.
              if (events.length === 1) attempts++;
              thrown++;
              throw new Error('cannot handle this one');
            }
            await tx.query('SELECT 1');
            applied.push(envelope.streamId);
          }
        },
        settled: (committed) => settled.push(committed),
      },
      backbone.runtime(),
    );
    await consumer.start();
    await backbone.store.append('poison-1', [absence('poison-1', 1)], { expectedVersion: 0 });
    await backbone.store.append('poison-2', [absence('poison-2', 1)], { expectedVersion: 0 });
    await eventually(async () => expect(applied).toEqual(['poison-2']), 20_000);
    expect(attempts).toBe(3);
    // The handler is told of every transaction's end: each failed try rolled back, the rest committed.
    expect(settled.filter((committed) => !committed)).toHaveLength(thrown);
    expect(settled).toContain(true);
    // It also parks the malformed messages the test before published to the same stream.
    const parked = (await deadLetters('poison')).filter((p) => /handler failed/.test(p.reason));
    expect(parked).toHaveLength(1);
    expect(parked[0]!.reason).toMatch(/handler failed 3 times: cannot handle this one/);
    await consumer.stop();
  });

  it('applies every event exactly once when its process is killed mid-batch and restarted', async () => {
    await appendMany(10, 40, 'kill');
    const env = {
      TEST_SCHEMA: backbone.ctx.schema,
      TEST_PREFIX: backbone.ctx.prefix,
      DATABASE_URL: backbone.ctx.databaseUrl,
      NATS_URL: backbone.ctx.natsUrl,
    };
    const table = 'proj_applied_streams';
    const appliedTotal = async () => {
      const { rows } = await backbone.ctx.pool
        .query(
          `SELECT coalesce(sum(applied), 0)::int AS n FROM ${table} WHERE stream_id LIKE 'kill-%'`,
        )
        .catch(() => ({ rows: [{ n: 0 }] }));
      return rows[0].n as number;
    };
    for (let round = 0; round < 3; round++) {
      const worker = spawnTs('libs/eventing/test/fixtures/consumer-worker.ts', env);
      const output = collectOutput(worker);
      await eventually(async () => expect(output()).toContain('consumer started'), 20_000);
      const before = await appliedTotal();
      await eventually(
        async () => expect(await appliedTotal()).toBeGreaterThan(before + 20),
        20_000,
        5,
      );
      worker.kill('SIGKILL');
      await waitForExit(worker);
    }
    expect(await appliedTotal()).toBeLessThan(400);
    const runner = new ProjectionRunner(appliedProjection, backbone.runtime(), {
      ackWaitMs: 2_000,
    });
    // Redeliveries wait for the ack deadline the killed process left behind.
    await runner.start();
    const expected = Array.from({ length: 10 }, (_, p) => ({
      stream_id: `kill-${p}`,
      applied: 40,
      last_version: 40,
      violations: 0,
    }));
    await eventually(
      async () =>
        expect(
          (await streamsTable(table, 'kill')).sort((a, b) =>
            a.stream_id.localeCompare(b.stream_id),
          ),
        ).toEqual(expected),
      60_000,
      200,
    );
    await runner.stop();
  });
});

describe('DurableConsumer facing a lost event', () => {
  it('holds a successor back for as long as its predecessor is missing, until an operator records a skip', async () => {
    const applied: Array<[string, number]> = [];
    const consumer = new DurableConsumer(
      {
        name: 'gap',
        stream: 'availability',
        ackWaitMs: 1_000,
        handle: async (events) => {
          for (const { envelope } of events)
            if (envelope.streamId.startsWith('gap-'))
              applied.push([envelope.streamId, envelope.streamVersion]);
        },
      },
      backbone.runtime(),
    );
    await consumer.start();
    // Given version 2 of a stream on the bus, whose version 1 never got there
    const { events } = await backbone.store.append(
      'gap-source',
      [absence('gap-source', 1), absence('gap-source', 2)],
      { expectedVersion: 0 },
    );
    const orphan = { ...events[1]!, id: randomUUID(), streamId: 'gap-lost' };
    await backbone.ctx.js.publish(
      backbone.ctx.naming.subject('availability', 'pro.absence_added', 'p0'),
      JSON.stringify(orphan),
    );
    await eventually(async () => expect(applied).toContainEqual(['gap-source', 2]));
    // When it has come back many times over its ack wait
    const info = () =>
      backbone.ctx.jsm.consumers.info(
        backbone.ctx.naming.stream('availability'),
        backbone.ctx.naming.durable('gap'),
      );
    await eventually(async () => expect((await info()).num_redelivered).toBeGreaterThan(0), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Then it is not applied, and not acked
    expect(applied.filter(([id]) => id === 'gap-lost')).toEqual([]);
    expect((await info()).num_ack_pending).toBe(1);

    // When an operator skips the missing version 1
    const outcome = await withTransaction(backbone.ctx.pool, (tx) =>
      skipEvent(tx, {
        consumer: 'gap',
        streamId: 'gap-lost',
        streamVersion: 1,
        reason: 'lost in a test',
        skippedBy: 'ops@example.org',
      }),
    );
    // Then version 2 applies, and the skip is on record
    expect(outcome).toBe('skipped');
    await eventually(async () => expect(applied).toContainEqual(['gap-lost', 2]));
    const { rows } = await backbone.ctx.pool.query(
      `SELECT stream_version, reason, skipped_by FROM consumer_skips WHERE consumer = 'gap'`,
    );
    expect(rows).toEqual([
      { stream_version: 1, reason: 'lost in a test', skipped_by: 'ops@example.org' },
    ]);
    await eventually(async () => expect((await info()).num_ack_pending).toBe(0));
    await consumer.stop();
  });
});

describe('DurableConsumer with handleEvent', () => {
  it('runs each event in its own context, so what it appends is caused by it and shares its correlation', async () => {
    const actor = { kind: 'pro' as const, id: 'corr-pro' };
    const consumer = new DurableConsumer(
      {
        name: 'reactor',
        stream: 'availability',
        handleEvent: async ({ envelope }, tx) => {
          if (envelope.streamId !== 'corr-source') return;
          await backbone.store.appendWith(
            tx,
            'corr-reaction',
            [absence('corr-reaction', envelope.streamVersion)],
            {
              expectedVersion: envelope.streamVersion - 1,
            },
          );
        },
      },
      backbone.runtime(),
    );
    await consumer.start();
    const { events } = await runInContext(
      { correlationId: 'corr-77', causationId: null, actor },
      () =>
        backbone.store.append('corr-source', [absence('corr-source', 1)], { expectedVersion: 0 }),
    );
    const [reaction] = await eventually(async () => {
      const found = await backbone.store.readStream('corr-reaction');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(reaction).toMatchObject({ correlationId: 'corr-77', causationId: events[0]!.id, actor });
    await consumer.stop();
  });
});
