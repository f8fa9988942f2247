import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@cs/contracts';
import type { ConsumedEvent } from './consumed-event';
import { sortByPosition } from './positions';

const event = (streamId: string, streamVersion: number, deliveryCount = 1): ConsumedEvent => ({
  envelope: { streamId, streamVersion } as Envelope,
  streamSeq: 0,
  deliveryCount,
});
const versions = (events: readonly ConsumedEvent[]) =>
  events.map((e) => [e.envelope.streamId, e.envelope.streamVersion]);

describe('sortByPosition', () => {
  it('applies the next version, skips what was applied and holds back what overtook its predecessor', () => {
    // Given stream a applied up to 2
    const positions = new Map([['a', 2]]);
    // When a batch brings a redelivery, the next version, a successor with a gap and a new stream
    const sorted = sortByPosition(
      [event('a', 2), event('a', 3), event('a', 5), event('b', 1)],
      positions,
    );
    // Then
    expect(versions(sorted.apply)).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(versions(sorted.duplicate)).toEqual([['a', 2]]);
    expect(versions(sorted.early)).toEqual([['a', 5]]);
    expect(positions).toEqual(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
  });

  it('never accepts a gap, however often the successor comes back, and applies both once the predecessor arrives', () => {
    // Given stream a applied up to 1, and version 3 redelivered a thousand times
    const positions = new Map([['a', 1]]);
    for (let delivery = 1; delivery <= 1000; delivery++)
      expect(versions(sortByPosition([event('a', 3, delivery)], positions).early)).toEqual([
        ['a', 3],
      ]);
    // When the missing version 2 finally arrives, behind another redelivery of 3
    const sorted = sortByPosition([event('a', 2, 7), event('a', 3, 1001)], positions);
    // Then both apply, in order, and nothing was a duplicate
    expect(versions(sorted.apply)).toEqual([
      ['a', 2],
      ['a', 3],
    ]);
    expect(sorted.duplicate).toEqual([]);
  });

  it('moves past a version only when it was recorded as skipped', () => {
    // Given stream a applied up to 1 and version 2 skipped by an operator
    const positions = new Map([['a', 1]]);
    const skipped = (streamId: string, version: number) => streamId === 'a' && version === 2;
    // When version 3 and, for stream b, version 2 arrive
    const sorted = sortByPosition([event('a', 3), event('b', 2)], positions, skipped);
    // Then a moves on, b still waits for its version 1
    expect(versions(sorted.apply)).toEqual([['a', 3]]);
    expect(versions(sorted.early)).toEqual([['b', 2]]);
  });

  it('for any interleaving of deliveries and redeliveries, applies exactly 1..n per stream, in order, and acks only what it applied before', () => {
    const streams = ['a', 'b', 'c'];
    const scenario = fc.record({
      lengths: fc.tuple(fc.nat(8), fc.nat(8), fc.nat(8)),
      // Which pending message is delivered next: any order, as crashes and redeliveries allow.
      picks: fc.array(fc.nat(), { maxLength: 200 }),
      batchSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
      // Extra copies of messages: redeliveries of what was already acked, duplicates on the bus.
      repeats: fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 1, max: 8 })), { maxLength: 20 }),
    });
    fc.assert(
      fc.property(scenario, ({ lengths, picks, batchSizes, repeats }) => {
        let pending: ConsumedEvent[] = streams.flatMap((s, i) =>
          Array.from({ length: lengths[i]! }, (_, v) => event(s, v + 1)),
        );
        for (const [i, v] of repeats) if (v <= lengths[i]!) pending.push(event(streams[i]!, v));
        const positions = new Map<string, number>();
        const applied = new Map<string, number[]>();
        for (let round = 0; pending.length > 0; round++) {
          expect(round).toBeLessThan(10_000);
          const size = batchSizes[round % batchSizes.length]!;
          const batch: ConsumedEvent[] = [];
          while (batch.length < size && pending.length > 0) {
            const at = round < picks.length ? picks[round]! % pending.length : 0;
            batch.push(...pending.splice(at, 1));
          }
          const sorted = sortByPosition(batch, positions);
          for (const e of sorted.apply) {
            const { streamId, streamVersion } = e.envelope;
            applied.set(streamId, [...(applied.get(streamId) ?? []), streamVersion]);
          }
          // A duplicate is acked only when its version has been applied (before or in this batch).
          for (const { envelope } of sorted.duplicate)
            expect(applied.get(envelope.streamId)).toContain(envelope.streamVersion);
          // What is early is not acked: it comes back, behind what is pending now.
          pending = [
            ...pending,
            ...sorted.early.map((e) => ({ ...e, deliveryCount: e.deliveryCount + 1 })),
          ];
        }
        streams.forEach((s, i) =>
          expect(applied.get(s) ?? []).toEqual(
            Array.from({ length: lengths[i]! }, (_, v) => v + 1),
          ),
        );
      }),
    );
  });
});
