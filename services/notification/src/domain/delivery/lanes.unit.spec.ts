import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lanesByRecipient } from './lanes';

const item = fc.record({
  recipientKey: fc.constantFrom('pro:a', 'pro:b', 'client:c'),
  madeAt: fc.integer({ min: 0, max: 1_000 }),
  id: fc.uuid(),
});

describe('lanesByRecipient', () => {
  it('keeps every item once, one recipient per lane, oldest first', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (due) => {
        const lanes = lanesByRecipient(due);
        expect(
          lanes
            .flat()
            .map((i) => i.id)
            .sort(),
        ).toEqual(due.map((i) => i.id).sort());
        for (const lane of lanes) {
          expect(new Set(lane.map((i) => i.recipientKey)).size).toBe(1);
          for (let n = 1; n < lane.length; n++)
            expect(lane[n]!.madeAt).toBeGreaterThanOrEqual(lane[n - 1]!.madeAt);
        }
        expect(new Set(lanes.map((lane) => lane[0]!.recipientKey)).size).toBe(lanes.length);
      }),
    );
  });

  it('gives two people two lanes', () => {
    const lanes = lanesByRecipient([
      { recipientKey: 'pro:a', madeAt: 2 },
      { recipientKey: 'client:c', madeAt: 1 },
      { recipientKey: 'pro:a', madeAt: 1 },
    ]);
    expect(lanes).toEqual([
      [{ recipientKey: 'client:c', madeAt: 1 }],
      [
        { recipientKey: 'pro:a', madeAt: 1 },
        { recipientKey: 'pro:a', madeAt: 2 },
      ],
    ]);
  });
});
