import { describe, expect, it } from '@jest/globals';
import { type MovableAppointment, optimiseDay, toLocalIso } from '../src';
import { proSettings, territory } from './fixtures';

const at = (text: string) => Date.parse(text);
const hhmm = (t: number) => toLocalIso(t, 'Europe/Amsterdam').slice(11, 16);
const home = { lat: 52.0907, lng: 5.1214 };
const east = { lat: 52.1561, lng: 5.3878 };
const eastToo = { lat: 52.16, lng: 5.39 };

function visit(
  id: string,
  start: string,
  location: MovableAppointment['location'],
  movable: boolean,
): MovableAppointment {
  return {
    bookingId: id,
    kind: 'booking',
    serviceId: 'wound-care',
    start: at(start),
    end: at(start) + 45 * 60_000,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    location,
    movable,
    allowedWindow: null,
  };
}

const input = (appointments: MovableAppointment[]) => ({
  settings: proSettings({ homeLocation: home }),
  territory,
  holidays: new Set<string>(),
  date: '2026-12-01',
  now: at('2026-11-30T00:00:00Z'),
  appointments,
  externalEvents: [],
  absences: [],
  calendars: [],
});

describe('day optimiser', () => {
  // east (09:00) → home (12:00) → east (15:00): two round trips; moving the home visit saves one.
  const day = [
    visit('a-east', '2026-12-01T08:00:00Z', east, false),
    visit('b-home', '2026-12-01T11:00:00Z', home, true),
    visit('c-east', '2026-12-01T14:00:00Z', eastToo, true),
  ];

  it('proposes moves that cut travel, with reasons, and never breaks the gap rule', () => {
    const plan = optimiseDay(input(day));
    expect(plan.travelAfterMinutes).toBeLessThan(plan.travelBeforeMinutes);
    expect(plan.proposals.length).toBeGreaterThan(0);
    const saved = plan.proposals.reduce((s, p) => s + p.travelSavedMinutes, 0);
    expect(saved).toBe(plan.travelBeforeMinutes - plan.travelAfterMinutes);
    for (const p of plan.proposals) {
      expect(day.find((d) => d.bookingId === p.bookingId)?.movable).toBe(true);
      expect(p.explanation).toMatch(/the day's travel drops from \d+ to \d+ min/);
    }
    const final = day.map((d) => {
      const p = plan.proposals.find((x) => x.bookingId === d.bookingId);
      return p ? { ...d, start: p.to, end: p.to + 45 * 60_000 } : d;
    });
    const sorted = [...final].sort((a, b) => a.start - b.start);
    sorted.slice(1).forEach((v, i) => expect(v.start).toBeGreaterThanOrEqual(sorted[i].end));
  });

  it('is deterministic and does not depend on input order', () => {
    const plan = optimiseDay(input(day));
    expect(optimiseDay(input([...day].reverse()))).toEqual(plan);
    expect(plan.proposals.map((p) => `${p.bookingId} ${hhmm(p.from)}→${hhmm(p.to)}`)).toEqual(
      optimiseDay(input(day)).proposals.map((p) => `${p.bookingId} ${hhmm(p.from)}→${hhmm(p.to)}`),
    );
  });

  it('moves nothing that is not movable or outside the client window', () => {
    const fixed = day.map((d) => ({ ...d, movable: false }));
    expect(optimiseDay(input(fixed)).proposals).toEqual([]);
    const windowed = day.map((d) => ({ ...d, allowedWindow: { start: d.start, end: d.end } }));
    expect(optimiseDay(input(windowed)).proposals).toEqual([]);
  });
});
