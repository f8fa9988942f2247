import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { type Interval, mergeIntervals, subtractIntervals } from '../src';

const interval = fc
  .tuple(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 100 }))
  .map(([start, length]) => ({ start, end: start + length }));
const intervals = fc.array(interval, { maxLength: 20 });
const covers = (set: readonly Interval[], point: number) =>
  set.some((i) => i.start <= point && point < i.end);

describe('intervals', () => {
  it('merging is idempotent and gives sorted, disjoint, non-touching intervals', () => {
    fc.assert(
      fc.property(intervals, (input) => {
        const merged = mergeIntervals(input);
        expect(mergeIntervals(merged)).toEqual(merged);
        merged.slice(1).forEach((i, k) => expect(i.start).toBeGreaterThan(merged[k].end));
      }),
    );
  });

  it('merging covers exactly the points of its input, in any order', () => {
    fc.assert(
      fc.property(intervals, fc.integer({ min: 0, max: 1_100 }), (input, point) => {
        expect(covers(mergeIntervals(input), point)).toBe(covers(input, point));
        expect(mergeIntervals([...input].reverse())).toEqual(mergeIntervals(input));
      }),
    );
  });

  it('subtracting keeps exactly the points in `from` and not in `cuts`', () => {
    fc.assert(
      fc.property(intervals, intervals, fc.integer({ min: 0, max: 1_100 }), (from, cuts, point) => {
        expect(covers(subtractIntervals(from, cuts), point)).toBe(
          covers(from, point) && !covers(cuts, point),
        );
      }),
    );
  });

  it('touching intervals join', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 10 },
        { start: 0, end: 5 },
        { start: 12, end: 12 },
      ]),
    ).toEqual([{ start: 0, end: 10 }]);
  });
});
