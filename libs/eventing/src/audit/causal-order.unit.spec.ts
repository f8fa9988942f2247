import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@cs/contracts';
import { causalOrder } from './causal-order';

interface Item {
  service: string;
  envelope: Envelope;
  at: number;
}

const item = (
  id: string,
  at: number,
  stream: [service: string, streamId: string, version: number],
  causationId: string | null = null,
): Item => ({
  service: stream[0],
  at,
  envelope: { id, streamId: stream[1], streamVersion: stream[2], causationId } as Envelope,
});
const byTime = (a: Item, b: Item) => a.at - b.at;
const order = (items: Item[]) => causalOrder(items, byTime).map((i) => i.envelope.id);

describe('causalOrder', () => {
  it('keeps time order where nothing contradicts it', () => {
    expect(
      order([
        item('c', 3, ['x', 's', 3]),
        item('a', 1, ['x', 's', 1]),
        item('b', 2, ['y', 't', 1]),
      ]),
    ).toEqual(['a', 'b', 'c']);
  });

  it('moves an effect stamped by a fast clock to just after its cause, with what it caused', () => {
    expect(
      order([
        item('cause', 10, ['sync', 'cal', 1]),
        item('effect', 5, ['booking', 'pro', 1], 'cause'),
        item('effect-of-effect', 6, ['notify', 'n', 1], 'effect'),
        item('unrelated', 7, ['booking', 'other', 1]),
        item('later', 11, ['sync', 'cal', 2]),
      ]),
    ).toEqual(['unrelated', 'cause', 'effect', 'effect-of-effect', 'later']);
  });

  it("holds back a stream's next version until the one before it is out", () => {
    expect(
      order([
        item('cause', 10, ['sync', 'cal', 1]),
        item('v1', 5, ['booking', 'pro', 1], 'cause'),
        item('v2', 6, ['booking', 'pro', 2]),
      ]),
    ).toEqual(['cause', 'v1', 'v2']);
  });

  it('puts every event after its cause and its stream predecessor, and loses none', () => {
    const draft = fc.array(
      fc.record({
        service: fc.constantFrom('a', 'b'),
        stream: fc.constantFrom('s', 't', 'u'),
        at: fc.integer({ min: 0, max: 50 }),
        cause: fc.option(fc.nat(), { nil: null }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(draft, (drafts) => {
        // Built in their true order, so causes and versions always point backwards.
        const versions = new Map<string, number>();
        const items = drafts.map((d, index) => {
          const key = `${d.service}/${d.stream}`;
          const version = (versions.get(key) ?? 0) + 1;
          versions.set(key, version);
          const cause = d.cause === null || index === 0 ? null : `e${d.cause % index}`;
          return item(`e${index}`, d.at, [d.service, d.stream, version], cause);
        });
        const out = causalOrder(items, byTime);
        const at = new Map(out.map((i, position) => [i, position]));
        expect(out).toHaveLength(items.length);
        expect(new Set(out).size).toBe(items.length);
        for (const i of items) {
          const cause = items.find((c) => c.envelope.id === i.envelope.causationId);
          if (cause) expect(at.get(cause)!).toBeLessThan(at.get(i)!);
          const previous = items.find(
            (p) =>
              p.service === i.service &&
              p.envelope.streamId === i.envelope.streamId &&
              p.envelope.streamVersion === i.envelope.streamVersion - 1,
          );
          if (previous) expect(at.get(previous)!).toBeLessThan(at.get(i)!);
        }
      }),
    );
  });
});
