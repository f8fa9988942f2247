import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { publishInOrder } from './publish-in-order';

interface Row {
  stream_id: string;
  version: number;
}

describe('publishInOrder', () => {
  it('publishes nothing of a stream after a failed row, and goes on with the other streams', async () => {
    // Given rows of two streams, where a's second row fails
    const rows: Row[] = [
      { stream_id: 'a', version: 1 },
      { stream_id: 'b', version: 1 },
      { stream_id: 'a', version: 2 },
      { stream_id: 'a', version: 3 },
      { stream_id: 'b', version: 2 },
    ];
    const published: string[] = [];
    // When they are published
    const results = await Promise.allSettled(
      publishInOrder(rows, async (row) => {
        if (row.stream_id === 'a' && row.version === 2) throw new Error('timeout');
        published.push(`${row.stream_id}${row.version}`);
      }),
    );
    // Then a3 never left, and both of a's rows from 2 on stay to be retried
    expect(published.sort()).toEqual(['a1', 'b1', 'b2']);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
  });

  it('for any rows, acks and failures, a stream reaches the bus as an unbroken prefix, in order', async () => {
    const rows = fc.array(
      fc.record({ stream: fc.constantFrom('a', 'b', 'c'), fails: fc.boolean(), delay: fc.nat(3) }),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(rows, async (drafts) => {
        const next = new Map<string, number>();
        const input = drafts.map((d) => {
          const version = (next.get(d.stream) ?? 0) + 1;
          next.set(d.stream, version);
          return { stream_id: d.stream, version, ...d };
        });
        const bus: Row[] = [];
        await Promise.allSettled(
          publishInOrder(input, async (row) => {
            // Acks come back in any order, as they do from a cluster.
            await new Promise((resolve) => setTimeout(resolve, row.delay));
            if (row.fails) throw new Error('no ack');
            bus.push(row);
          }),
        );
        for (const stream of ['a', 'b', 'c']) {
          const onBus = bus.filter((r) => r.stream_id === stream).map((r) => r.version);
          const firstFailure = input.find((r) => r.stream_id === stream && r.fails)?.version;
          const expected = input
            .filter((r) => r.stream_id === stream && (!firstFailure || r.version < firstFailure))
            .map((r) => r.version);
          expect(onBus).toEqual(expected);
        }
      }),
      { numRuns: 50 },
    );
  });
});
