import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '@cs/contracts';
import type { ConsumedEvent } from './consumed-event';
import { sortByPosition } from './positions';

const event = (streamId: string, streamVersion: number, deliveryCount = 1): ConsumedEvent => ({
  envelope: { streamId, streamVersion } as Envelope,
  streamSeq: 0,
  deliveryCount,
});

describe('sortByPosition', () => {
  it('applies the next version, skips what was applied and holds back what overtook its predecessor', () => {
    const positions = new Map([['a', 2]]);
    const sorted = sortByPosition(
      [event('a', 2), event('a', 3), event('a', 5), event('b', 1)],
      positions,
    );
    expect(sorted.apply.map((e) => [e.envelope.streamId, e.envelope.streamVersion])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(sorted.duplicate).toHaveLength(1);
    expect(sorted.early.map((e) => e.envelope.streamVersion)).toEqual([5]);
    expect(positions).toEqual(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
  });

  it('accepts a gap after enough redeliveries, so a lost event cannot stall a stream', () => {
    const sorted = sortByPosition([event('a', 3, 30)], new Map([['a', 1]]));
    expect(sorted.apply).toHaveLength(1);
  });

  it('applies every version exactly once and in order, whatever the delivery order and repeats', () => {
    const deliveries = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 8 })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        deliveries,
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 10 }),
        (order, batchSizes) => {
          const positions = new Map<string, number>();
          const applied = new Map<string, number[]>();
          // Redeliver until the queue drains, as JetStream does with the early ones.
          let queue = order.map(([s, v]) => event(s, v));
          for (const [s] of [['a'], ['b'], ['c']])
            for (let v = 1; v <= 8; v++) queue.push(event(s!, v));
          for (let round = 0; queue.length > 0 && round < 1000; round++) {
            const size = batchSizes[round % Math.max(1, batchSizes.length)] ?? 3;
            const batch = queue.slice(0, size);
            const sorted = sortByPosition(batch, positions);
            for (const e of sorted.apply)
              applied.set(e.envelope.streamId, [
                ...(applied.get(e.envelope.streamId) ?? []),
                e.envelope.streamVersion,
              ]);
            queue = [...queue.slice(size), ...sorted.early];
          }
          for (const s of ['a', 'b', 'c']) expect(applied.get(s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        },
      ),
    );
  });
});
