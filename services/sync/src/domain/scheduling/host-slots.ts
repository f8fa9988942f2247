import { admit, type Breaker, type BreakerRule, closed } from '../limits/circuit-breaker';

export interface DueCalendar {
  calendarId: string;
  host: string;
}

export interface SlotRules {
  /** Runs at once against one host, per sync instance. */
  perHost: number;
  /** Runs at once in one sync instance. */
  total: number;
  breaker: BreakerRule;
}

export interface SlotState {
  /** Runs under way in this instance, by host. */
  inFlight: ReadonlyMap<string, number>;
  /** Hosts' breakers; a host without one is closed. */
  breakers: ReadonlyMap<string, Breaker>;
  now: number;
}

export interface SlotPlan {
  start: DueCalendar[];
  /** Calendars of hosts whose breaker is open: they are not tried before `until`. */
  hold: Array<{ calendarId: string; until: number }>;
}

/**
 * Which due calendars to start now, oldest due first: each host gets at most its free slots,
 * the instance at most its free total, so a host that hangs holds only its own slots. Calendars
 * of a full host stay due for a later pass; those of an open breaker wait for its cool-down.
 */
export function chooseStarts(
  due: readonly DueCalendar[],
  state: SlotState,
  rules: SlotRules,
): SlotPlan {
  const plan: SlotPlan = { start: [], hold: [] };
  const running = new Map(state.inFlight);
  let free = rules.total - [...running.values()].reduce((sum, n) => sum + n, 0);
  for (const calendar of due) {
    const breaker = state.breakers.get(calendar.host) ?? closed;
    const admission = admit(breaker, rules.breaker, state.now);
    if (!admission.admitted) {
      plan.hold.push({ calendarId: calendar.calendarId, until: admission.retryAt });
      continue;
    }
    // Past an open breaker's cool-down, one trial run finds out whether the host is back.
    const capacity = breaker.status === 'closed' ? rules.perHost : 1;
    const busy = running.get(calendar.host) ?? 0;
    if (free <= 0 || busy >= capacity) continue;
    plan.start.push(calendar);
    running.set(calendar.host, busy + 1);
    free--;
  }
  return plan;
}
