import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import type { Breaker } from '../limits/circuit-breaker';
import { chooseStarts, type DueCalendar, type SlotRules } from './host-slots';

const rules: SlotRules = { perHost: 2, total: 5, breaker: { threshold: 3, cooldownMs: 1_000 } };
const due = (...hosts: string[]): DueCalendar[] =>
  hosts.map((host, i) => ({ calendarId: `cal-${i}`, host }));
const state = (
  inFlight: Record<string, number> = {},
  breakers: Record<string, Breaker> = {},
  now = 10_000,
) => ({
  inFlight: new Map(Object.entries(inFlight)),
  breakers: new Map(Object.entries(breakers)),
  now,
});
const started = (plan: { start: DueCalendar[] }) => plan.start.map((c) => c.calendarId);

describe('chooseStarts', () => {
  it('starts the oldest due calendars up to each host’s free slots', () => {
    const plan = chooseStarts(due('a', 'a', 'a', 'b'), state(), rules);
    expect(started(plan)).toEqual(['cal-0', 'cal-1', 'cal-3']);
    expect(plan.hold).toEqual([]);
  });

  it('a host whose runs hang holds only its own slots: the others start', () => {
    const plan = chooseStarts(due('dead', 'dead', 'live', 'other'), state({ dead: 2 }), rules);
    expect(started(plan)).toEqual(['cal-2', 'cal-3']);
  });

  it('never starts more than the instance’s free total', () => {
    const plan = chooseStarts(due('a', 'b', 'c', 'd'), state({ x: 2, y: 1 }), rules);
    expect(started(plan)).toEqual(['cal-0', 'cal-1']);
  });

  it('holds the calendars of an open breaker until its cool-down ends', () => {
    const plan = chooseStarts(
      due('down', 'up', 'down'),
      state({}, { down: { status: 'open', until: 12_000 } }),
      rules,
    );
    expect(started(plan)).toEqual(['cal-1']);
    expect(plan.hold).toEqual([
      { calendarId: 'cal-0', until: 12_000 },
      { calendarId: 'cal-2', until: 12_000 },
    ]);
  });

  it('after the cool-down lets one trial run through, and none while a trial is under way', () => {
    const open: Breaker = { status: 'open', until: 9_000 };
    expect(started(chooseStarts(due('h', 'h', 'h'), state({}, { h: open }), rules))).toEqual([
      'cal-0',
    ]);
    expect(started(chooseStarts(due('h'), state({ h: 1 }, { h: open }), rules))).toEqual([]);
    const trying: Breaker = { status: 'half_open', until: 11_000 };
    const plan = chooseStarts(due('h'), state({}, { h: trying }), rules);
    expect(plan).toEqual({ start: [], hold: [{ calendarId: 'cal-0', until: 11_000 }] });
  });

  it('whatever is due and running, no host and no instance goes over its limit', () => {
    const host = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(
        fc.array(host, { maxLength: 40 }),
        fc.dictionary(host, fc.integer({ min: 0, max: 3 })),
        (hosts, inFlight) => {
          const plan = chooseStarts(due(...hosts), state(inFlight), rules);
          const busy = Object.values(inFlight).reduce((a, b) => a + b, 0);
          const free = Math.max(0, rules.total - busy);
          expect(plan.start.length).toBeLessThanOrEqual(free);
          const running = new Map(Object.entries(inFlight));
          for (const c of plan.start) running.set(c.host, (running.get(c.host) ?? 0) + 1);
          for (const c of plan.start)
            expect(running.get(c.host)).toBeLessThanOrEqual(rules.perHost);
          // Whatever was left waiting could not have started: its host or the instance was full.
          if (plan.start.length < free)
            for (const c of due(...hosts).filter((d) => !started(plan).includes(d.calendarId)))
              expect(running.get(c.host)).toBeGreaterThanOrEqual(rules.perHost);
        },
      ),
    );
  });
});
