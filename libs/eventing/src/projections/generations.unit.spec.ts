import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { compareModelVersions, type ModelVersion } from './generations';

const modelVersion = fc.record({ version: fc.nat(1_000), epoch: fc.nat(1_000) });
const sign = (n: number) => Math.sign(n);

describe('compareModelVersions', () => {
  it('orders by code version first, then by epoch', () => {
    const ordered: ModelVersion[] = [
      { version: 1, epoch: 0 },
      { version: 1, epoch: 1 },
      { version: 1, epoch: 7 },
      { version: 2, epoch: 0 },
      { version: 2, epoch: 3 },
      { version: 3, epoch: 0 },
    ];
    const shuffled = [ordered[4]!, ordered[0]!, ordered[5]!, ordered[2]!, ordered[3]!, ordered[1]!];
    expect([...shuffled].sort(compareModelVersions)).toEqual(ordered);
  });

  it('makes a raised epoch newer than the active model of the same code, as a version bump is', () => {
    expect(
      compareModelVersions({ version: 4, epoch: 1 }, { version: 4, epoch: 0 }),
    ).toBeGreaterThan(0);
    expect(
      compareModelVersions({ version: 5, epoch: 0 }, { version: 4, epoch: 0 }),
    ).toBeGreaterThan(0);
    // A new code version wins over any epoch, so the epoch may go back to 0 with it.
    expect(
      compareModelVersions({ version: 5, epoch: 0 }, { version: 4, epoch: 9 }),
    ).toBeGreaterThan(0);
  });

  it('at epoch 0 on both sides, orders exactly as the code versions did before epochs', () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.nat(1_000), (a, b) => {
        expect(sign(compareModelVersions({ version: a, epoch: 0 }, { version: b, epoch: 0 }))).toBe(
          sign(a - b),
        );
      }),
    );
  });

  it('is a total order: antisymmetric, and the same only for the same version and epoch', () => {
    fc.assert(
      fc.property(modelVersion, modelVersion, (a, b) => {
        expect(sign(compareModelVersions(a, b))).toBe(-sign(compareModelVersions(b, a)));
        expect(compareModelVersions(a, b) === 0).toBe(
          a.version === b.version && a.epoch === b.epoch,
        );
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(modelVersion, modelVersion, modelVersion, (a, b, c) => {
        if (compareModelVersions(a, b) <= 0 && compareModelVersions(b, c) <= 0)
          expect(compareModelVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
