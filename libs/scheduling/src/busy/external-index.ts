import { type TimeZone } from '@cs/ical';
import { type Interval } from '../intervals/intervals';
import { placeInSeries, placeTime } from './event-time';
import { type EventTime, type ExternalEvent } from '../model';
import { type Placed, expandedInstances, isSeries, place, ruleOf, seriesKey } from './placed-event';

/**
 * A Pro's external events placed on the time line once, so a question about a few weeks touches
 * only the events near them (docs/adr/0018): each event's span (a series' from its first to
 * its last instance, or for ever), sorted by start, with the latest end of each implicit
 * subtree, answers "which spans meet this range" in O(log n + k).
 */
export interface ExternalIndex {
  /** Per series (calendar and UID), the recurrence ids its overrides replace. */
  readonly overridden: ReadonlyMap<string, readonly EventTime[]>;
  /** Events that may be busy in `range`, in the order busy time counts them. */
  candidates(range: Interval): Placed[];
}

const HOUR = 3_600_000;
/** A wall-clock UNTIL read as UTC is within 14 h of its instant; a date UNTIL covers its day. */
const UNTIL_MARGIN = 14 * HOUR + 48 * HOUR;

// Keyed by the caller's list itself: a schedule kept in memory keeps its index with it.
const indexes = new WeakMap<readonly ExternalEvent[], WeakMap<TimeZone, ExternalIndex>>();

/** The index of `events` in `zone`, built on first use; `events` must not change afterwards. */
export function externalIndex(events: readonly ExternalEvent[], zone: TimeZone): ExternalIndex {
  let byZone = indexes.get(events);
  if (!byZone) indexes.set(events, (byZone = new WeakMap()));
  let index = byZone.get(zone);
  if (!index) byZone.set(zone, (index = buildIndex(events, zone)));
  return index;
}

interface Entry {
  readonly placed: Placed;
  readonly from: number;
  readonly to: number;
}

function buildIndex(events: readonly ExternalEvent[], zone: TimeZone): ExternalIndex {
  const placed = events.map((e, order) => place(e, zone, order));
  const overridden = new Map<string, EventTime[]>();
  for (const e of events) {
    if (e.recurrenceId !== null) {
      const key = seriesKey(e);
      overridden.set(key, [...(overridden.get(key) ?? []), e.recurrenceId]);
    }
  }
  const entries = placed
    .filter(({ event: e }) => e.status !== 'cancelled' && !e.transparent && !e.declinedByPro)
    .map((p): Entry => {
      if (!isSeries(p.event)) return { placed: p, from: p.start, to: p.end };
      const span = seriesSpan(p, overridden.get(seriesKey(p.event)) ?? []);
      return { placed: p, from: Math.min(span.start, p.start), to: Math.max(span.end, p.end) };
    })
    .sort((a, b) => a.from - b.from);
  const latest = new Float64Array(entries.length);
  const fill = (lo: number, hi: number): number => {
    if (lo >= hi) return -Infinity;
    const mid = (lo + hi) >>> 1;
    latest[mid] = Math.max(entries[mid]!.to, fill(lo, mid), fill(mid + 1, hi));
    return latest[mid]!;
  };
  fill(0, entries.length);

  return {
    overridden,
    candidates(range) {
      const found: Placed[] = [];
      // Bounds taken inclusively: the caller applies the exact overlap rule to what is found.
      const visit = (lo: number, hi: number): void => {
        if (lo >= hi) return;
        const mid = (lo + hi) >>> 1;
        if (latest[mid]! < range.start) return;
        visit(lo, mid);
        const entry = entries[mid]!;
        if (entry.from > range.end) return;
        if (entry.to >= range.start) found.push(entry.placed);
        visit(mid + 1, hi);
      };
      visit(0, entries.length);
      return found.sort(
        (a, b) =>
          compare(a.event.calendarId, b.event.calendarId) || a.start - b.start || a.order - b.order,
      );
    },
  };
}

/**
 * From the first to the last instance of a series with an end (COUNT, UNTIL, or dates only);
 * for ever when it has none or cannot be expanded within its budget.
 */
function seriesSpan(placed: Placed, overriddenIds: readonly EventTime[]): Interval {
  const always = { start: -Infinity, end: Infinity };
  try {
    const rule = placed.event.rrule === null ? null : ruleOf(placed.event.rrule);
    if (rule && rule.count === null && rule.until === null) return always;
    // The rule ends by its UNTIL, but RDATEs may add instances after that.
    const ruleEnd = rule?.until ? untilWallClock(rule.until) + UNTIL_MARGIN : Infinity;
    const end = placed.event.rdates.reduce((e, r) => Math.max(e, latestOf(r, placed)), ruleEnd);
    if (Number.isNaN(end)) return always;
    const span = { start: Infinity, end: -Infinity };
    for (const instance of expandedInstances(placed, overriddenIds, { start: -Infinity, end })) {
      span.start = Math.min(span.start, instance.start);
      span.end = Math.max(span.end, instance.end);
    }
    return span;
  } catch {
    return always;
  }
}

/** Past the start of the instance an RDATE adds. */
function latestOf(rdate: { start: EventTime; end: EventTime | null }, placed: Placed): number {
  const start =
    rdate.end === null ? placeInSeries(rdate.start, placed) : placeTime(rdate.start, placed.zone);
  return start + HOUR;
}

function untilWallClock(until: string): number {
  const [y, mo, d, h = 0, mi = 0, s = 0] = [0, 4, 6, 9, 11, 13]
    .filter((at) => at < until.length)
    .map((at, i) => Number(until.slice(at, at + (i === 0 ? 4 : 2))));
  return Date.UTC(y!, mo! - 1, d!, h, mi, s);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
