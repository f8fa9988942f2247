import { type IcalEvent, type IcalTime } from '../model';
import { MS_PER_DAY } from '../time/civil';
import { instantOf, zoneOf } from '../time/instant';
import { type TimeZone, instantToLocal, localToInstant } from '../time/time-zone';
import { parseRecurrenceRule, type RecurrenceRule } from './rule';
import { seriesLocalStarts } from './series-starts';

/**
 * One part of a series cut by `RANGE=THISANDFUTURE` overrides, itself a plain series: the head
 * is the master up to the first such override; each later part is that override as the master
 * of every instance from its RECURRENCE-ID on (RFC 5545 §3.8.4.4, RFC 5546).
 */
export interface SeriesPart {
  /** The RECURRENCE-ID the part starts at, as the override wrote it; null for the head. */
  readonly from: IcalTime | null;
  /** Wall-clock ms the part's instances are moved by, against the original series. */
  readonly shift: number;
  readonly master: IcalEvent;
  /** Single-instance overrides of this part, their RECURRENCE-IDs moved into its instances. */
  readonly overrides: readonly IcalEvent[];
  /**
   * False when the rule cannot carry the move (a BYDAY or BYHOUR the new start no longer
   * matches): the part then keeps the original times, with the override's other properties.
   */
  readonly exact: boolean;
}

/** How far the exactness of a moved rule is checked. */
const CHECK_SPAN = 366 * MS_PER_DAY;

/**
 * The series `master` with its overrides, as plain series with no `RANGE=THISANDFUTURE` left:
 * every instance from an override's RECURRENCE-ID on moves by the override's wall-clock offset
 * and takes its duration and properties, until the next such override. Times are placed on the
 * master's wall clock; dates and floating times are read in `viewerZone`.
 */
export function splitSeries(
  master: IcalEvent,
  overrides: readonly IcalEvent[],
  viewerZone: TimeZone,
): SeriesPart[] {
  const clock = seriesClock(master, viewerZone);
  const byRid = new Map<number, IcalEvent>();
  for (const o of overrides)
    if (o.thisAndFuture && o.recurrenceId) byRid.set(clock.ridLocal(o.recurrenceId), o);
  if (byRid.size === 0 || (!master.rrule && master.rdates.length === 0))
    return [{ from: null, shift: 0, master, overrides, exact: true }];

  const cuts = [...byRid.entries()].sort(([a], [b]) => a - b);
  const bounds = [{ at: -Infinity, event: master }, ...cuts.map(([at, event]) => ({ at, event }))];
  const parts = bounds.map(({ at, event }, i) => {
    const next = bounds[i + 1]?.at ?? Infinity;
    const head = i === 0;
    const wanted = head ? 0 : clock.startLocal(event) - at;
    const exact = head || movesExactly(master, at, next, wanted);
    const shift = exact ? wanted : 0;
    return { at, next, event, head, shift, exact };
  });
  const partOf = (local: number) => parts.filter((p) => p.at <= local).pop()!;

  // A range from the first instance on leaves the master nothing of its own.
  const kept = parts.filter((_part, i) => i > 0 || parts[1]!.at > clock.startLocal(master));
  return kept.map(({ at, next, event, head, shift, exact }) => {
    const move = (time: IcalTime) => clock.timeAt(clock.ridLocal(time) + shift);
    const mine = (time: IcalTime) => partOf(clock.ridLocal(time)).at === at;
    const rdates = master.rdates.filter((r) => mine(r.kind === 'period' ? r.start : r));
    const own: IcalEvent = {
      ...event,
      uid: master.uid,
      start: head ? master.start : clock.timeAt(at + shift),
      rrule: master.rrule && boundedRule(master.rrule, master, clock, { at, next, shift }),
      rdates: head ? rdates : rdates.map((r) => move(r.kind === 'period' ? r.start : r)),
      exdates: master.exdates.filter(mine).map((t) => (head ? t : move(t))),
      recurrenceId: null,
      thisAndFuture: false,
    };
    return {
      from: head ? null : event.recurrenceId,
      shift,
      master: own,
      overrides: overrides
        .filter((o) => !o.thisAndFuture && o.recurrenceId && mine(o.recurrenceId))
        .map((o) => (head ? o : { ...o, recurrenceId: move(o.recurrenceId!) })),
      exact,
    };
  });
}

interface SeriesClock {
  readonly zone: TimeZone;
  /** Wall-clock ms of the instance a RECURRENCE-ID, RDATE or EXDATE names. */
  ridLocal(time: IcalTime): number;
  /** Wall-clock ms of an event's start on the series' clock. */
  startLocal(event: IcalEvent): number;
  /** A wall-clock time written as the series writes its times. */
  timeAt(local: number): IcalTime;
}

function seriesClock(master: IcalEvent, viewerZone: TimeZone): SeriesClock {
  const zone = zoneOf(master.start, viewerZone);
  const onClock = (time: IcalTime) =>
    time.kind === 'zoned' && time.zone.id !== zone.id
      ? instantToLocal(zone, instantOf(time, zone))
      : time.localMs;
  const dayOf = (localMs: number) => Math.floor(localMs / MS_PER_DAY) * MS_PER_DAY;
  const timeOfDay = master.start.localMs - dayOf(master.start.localMs);
  return {
    zone,
    // A date on a timed series names that day's instance; any time on an all-day series its day.
    ridLocal: (time) =>
      master.allDay
        ? dayOf(onClock(time))
        : time.kind === 'date'
          ? time.localMs + timeOfDay
          : onClock(time),
    startLocal: (event) => (master.allDay ? dayOf(onClock(event.start)) : onClock(event.start)),
    timeAt: (local) =>
      master.start.kind === 'zoned'
        ? { kind: 'zoned', zone, localMs: local }
        : { kind: master.start.kind, localMs: local },
  };
}

/** The master's rule limited to the instances in [at, next), moved by `shift`. */
function boundedRule(
  rule: RecurrenceRule,
  master: IcalEvent,
  clock: SeriesClock,
  part: { at: number; next: number; shift: number },
): RecurrenceRule | null {
  const { at, next, shift } = part;
  if (rule.count !== null) {
    const total = (to: number) =>
      to === Infinity
        ? rule.count!
        : to === -Infinity
          ? 0
          : seriesLocalStarts(
              { startLocal: master.start.localMs, allDay: master.allDay, rule },
              master.start.localMs,
              to - 1,
            ).length;
    const count = total(next) - total(at);
    return count > 0 ? withEnd(rule, `COUNT=${count}`) : null;
  }
  if (next !== Infinity) {
    const step = master.allDay ? MS_PER_DAY : 1000;
    return withEnd(rule, `UNTIL=${untilText(next + shift - step, master, clock)}`);
  }
  if (rule.until === null || shift === 0) return rule;
  return withEnd(
    rule,
    `UNTIL=${untilText(untilLocal(rule.until, master, clock) + shift, master, clock)}`,
  );
}

/** The rule with its COUNT or UNTIL replaced by `end`, or without either. */
function withEnd(rule: RecurrenceRule, end: string | null): RecurrenceRule {
  const kept = rule.text.split(';').filter((p) => !/^(COUNT|UNTIL)=/.test(p));
  return parseRecurrenceRule([...kept, ...(end === null ? [] : [end])].join(';'));
}

/** The last wall-clock ms an UNTIL lets through, as `expandRecurrence` reads it. */
function untilLocal(until: string, master: IcalEvent, clock: SeriesClock): number {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 9, 11, 13].map((at, i) =>
    Number(until.slice(at, at + (i === 0 ? 4 : 2))),
  );
  if (until.length === 8) {
    const day = Date.UTC(y!, mo! - 1, d!);
    return master.allDay ? day : day + MS_PER_DAY - 1;
  }
  const local = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return until.endsWith('Z') ? instantToLocal(clock.zone, local) : local;
}

/** An UNTIL (inclusive) at wall-clock `lastLocal`, written as the series writes its times. */
function untilText(lastLocal: number, master: IcalEvent, clock: SeriesClock): string {
  const compact = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (master.allDay) return compact(lastLocal).slice(0, 8);
  if (master.start.kind === 'floating') return compact(lastLocal).slice(0, 15);
  return compact(localToInstant(clock.zone, lastLocal));
}

/**
 * Whether the rule, started at the moved instance, gives the original instances moved: a
 * time-of-day change under BYDAY does; a move to another weekday under BYDAY does not.
 */
function movesExactly(master: IcalEvent, at: number, next: number, shift: number): boolean {
  if (!master.rrule || shift === 0) return true;
  const to = Math.min(next - 1, at + CHECK_SPAN);
  try {
    const rule = withEnd(master.rrule, null);
    const original = seriesLocalStarts(
      { startLocal: master.start.localMs, allDay: master.allDay, rule },
      at,
      to,
    );
    const moved = seriesLocalStarts(
      { startLocal: at + shift, allDay: master.allDay, rule },
      at + shift,
      to + shift,
    );
    return original.length === moved.length && original.every((t, i) => t + shift === moved[i]);
  } catch {
    return false;
  }
}
