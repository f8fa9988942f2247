import { type BusyInterval } from '../busy/busy-time';
import { type Interval } from '../intervals/intervals';
import { type GeoPoint } from '../model';
import { type TravelEstimator, travelMs } from '../travel/travel';
import { type WorkingWindow } from '../windows/working-windows';

/** Closed range [lo, hi] of allowed start instants; candidate starts step from `gridStart`. */
export interface StartRange {
  readonly lo: number;
  readonly hi: number;
  readonly gridStart: number;
}

/** What the gap rule needs to know about the appointment being placed. */
export interface Placement {
  readonly durationMs: number;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
  readonly location: GeoPoint | null;
  readonly travel: TravelEstimator;
}

/**
 * Every start t at which the appointment fits (docs/design.md §3): [t, t+D) inside one window,
 * t within [earliest, latest], and for every busy neighbour X a gap of at least
 * max(X.bufferAfter, bufferBefore) + travel(X → here) before, and symmetrically after.
 * Each neighbour thus forbids the open range of starts (X.start − D − gapAfter, X.end + gapBefore);
 * the cost is one sort of the neighbours, whatever the step.
 */
export function startRanges(
  windows: readonly WorkingWindow[],
  busy: readonly BusyInterval[],
  placement: Placement,
  bounds: Interval,
): StartRange[] {
  const ranges: StartRange[] = [];
  for (const window of mergeWindows(windows)) {
    const lo = Math.max(window.start, bounds.start);
    const hi = Math.min(window.end - placement.durationMs, bounds.end);
    if (lo <= hi) ranges.push({ lo, hi, gridStart: window.gridStart });
  }
  return subtractOpen(ranges, forbiddenStarts(busy, placement));
}

/** Windows that overlap or touch are one window for placing an appointment. */
export function mergeWindows(windows: readonly WorkingWindow[]): WorkingWindow[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: WorkingWindow[] = [];
  for (const window of sorted) {
    const last = merged[merged.length - 1];
    if (last && window.start <= last.end) {
      if (window.end > last.end) merged[merged.length - 1] = { ...last, end: window.end };
    } else {
      merged.push(window);
    }
  }
  return merged;
}

/** Open ranges of forbidden starts, sorted and merged. */
function forbiddenStarts(busy: readonly BusyInterval[], p: Placement): Interval[] {
  const open = busy.map((x) => {
    const before =
      Math.max(x.bufferAfterMs, p.bufferBeforeMs) + travelMs(p.travel, x.location, p.location);
    const after =
      Math.max(p.bufferAfterMs, x.bufferBeforeMs) + travelMs(p.travel, p.location, x.location);
    return { start: x.start - p.durationMs - after, end: x.end + before };
  });
  open.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const range of open) {
    const last = merged[merged.length - 1];
    if (last && range.start < last.end) {
      if (range.end > last.end) merged[merged.length - 1] = { start: last.start, end: range.end };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** Closed ranges minus open ranges (both sorted); endpoints of a hole stay allowed. */
function subtractOpen(ranges: readonly StartRange[], holes: readonly Interval[]): StartRange[] {
  const result: StartRange[] = [];
  let first = 0;
  for (const range of ranges) {
    let lo = range.lo;
    while (first < holes.length && holes[first].end <= range.lo) first++;
    for (let i = first; i < holes.length && holes[i].start < range.hi; i++) {
      const hole = holes[i];
      if (hole.end <= lo) continue;
      if (hole.start >= lo) result.push({ ...range, lo, hi: hole.start });
      lo = hole.end;
    }
    if (lo <= range.hi) result.push({ ...range, lo });
  }
  return result;
}

/** Removes starts inside the given half-open spans (e.g. days at their booking limit). */
export function withoutStartsIn(
  ranges: readonly StartRange[],
  spans: readonly Interval[],
): StartRange[] {
  if (spans.length === 0) return [...ranges];
  const holes = spans.map((s) => ({ start: s.start - 1, end: s.end }));
  return subtractOpen(
    ranges,
    [...holes].sort((a, b) => a.start - b.start),
  );
}

/** Candidate starts of a range: `gridStart + k·step` that fall inside it. */
export function gridStarts(range: StartRange, stepMs: number): number[] {
  const starts: number[] = [];
  for (
    let t = range.gridStart + Math.ceil((range.lo - range.gridStart) / stepMs) * stepMs;
    t <= range.hi;
    t += stepMs
  ) {
    starts.push(t);
  }
  return starts;
}

/** Whether a start (on or off the grid) is allowed: binary search over sorted ranges. */
export function allows(ranges: readonly StartRange[], start: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ranges[mid].hi < start) low = mid + 1;
    else if (ranges[mid].lo > start) high = mid - 1;
    else return true;
  }
  return false;
}
