import { describe, expect, it } from '@jest/globals';
import {
  type Appointment,
  availability,
  commonSlots,
  sequenceSlots,
  suggestSlots,
  toLocalIso,
} from '../src';
import { proSettings, query } from './fixtures';

const at = (text: string) => Date.parse(text);
const hhmm = (t: number) => toLocalIso(t, 'Europe/Amsterdam').slice(11, 16);
const utrecht = { lat: 52.0907, lng: 5.1214 };
const zeist = { lat: 52.0894, lng: 5.2337 };
const amersfoort = { lat: 52.1561, lng: 5.3878 };

const morning = proSettings({
  weeklyHours: [
    {
      days: ['TU'],
      start: '09:00',
      end: '12:00',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
  ],
});

function booking(
  id: string,
  start: string,
  minutes: number,
  location: Appointment['location'] = null,
): Appointment {
  return {
    bookingId: id,
    kind: 'booking',
    serviceId: 'wound-care',
    start: at(start),
    end: at(start) + minutes * 60_000,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    location,
  };
}

describe('group search', () => {
  it('finds the slots where enough Pros are all free', () => {
    const a = availability(
      query({ settings: morning, bookings: [booking('x', '2026-12-01T08:00:00Z', 60)] }),
    ).slots;
    const b = availability(
      query({ settings: morning, bookings: [booking('y', '2026-12-01T10:30:00Z', 30)] }),
    ).slots;
    const both = commonSlots(
      [
        { proId: 'p-2', slots: b },
        { proId: 'p-1', slots: a },
      ],
      2,
    );
    expect(both.map((s) => [hhmm(s.start), s.proIds.join('+')])).toEqual([
      ['10:15', 'p-1+p-2'],
      ['10:30', 'p-1+p-2'],
    ]);
    expect(commonSlots([{ proId: 'p-1', slots: a }], 2)).toEqual([]);
  });
});

describe('suggestions', () => {
  const candidate = (proId: string, bookings: Appointment[], home = utrecht) => ({
    proId,
    query: query({
      settings: proSettings({ ...morning, homeLocation: home }),
      bookings,
      clientLocation: zeist,
    }),
  });

  it('ranks by added travel and explains every part of the score', () => {
    const near = candidate('near', [booking('n1', '2026-12-01T08:00:00Z', 45, utrecht)]);
    const far = candidate(
      'far',
      [booking('f1', '2026-12-01T08:00:00Z', 45, amersfoort)],
      amersfoort,
    );
    const [best] = suggestSlots({
      candidates: [far, near],
      timeZone: 'Europe/Amsterdam',
      limit: 3,
    });
    expect(best.proIds).toEqual(['near']);
    expect(best.parts.map((p) => p.name)).toEqual(['travel', 'packing']);
    expect(best.score).toBe(best.parts.reduce((s, p) => s + p.points, 0));
    expect(best.parts[0].reason).toMatch(/adds \d+ min of travel between n1 and home/);
  });

  it('prefers slots that pack the day over ones that strand short gaps', () => {
    const pro = candidate('p', [booking('b1', '2026-12-01T08:00:00Z', 45)], utrecht);
    const ranked = suggestSlots({
      candidates: [{ ...pro, query: { ...pro.query, clientLocation: null } }],
      timeZone: 'Europe/Amsterdam',
      limit: 20,
    });
    expect(hhmm(ranked[0].start)).toBe('10:00');
    const stranding = ranked.find((s) => hhmm(s.start) === '10:15');
    expect(stranding?.parts.find((p) => p.name === 'packing')?.points).toBeLessThan(0);
  });

  it('applies the client preferences and groups Pros when several are needed', () => {
    const one = candidate('p-1', []);
    const two = candidate('p-2', []);
    const preferred = suggestSlots({
      candidates: [one, two],
      timeZone: 'Europe/Amsterdam',
      preferences: { proIds: ['p-2'], earliestTime: '10:30' },
    });
    expect(preferred[0].proIds).toEqual(['p-2']);
    expect(hhmm(preferred[0].start) >= '10:30').toBe(true);
    const team = suggestSlots({
      candidates: [one, two],
      prosNeeded: 2,
      timeZone: 'Europe/Amsterdam',
    });
    expect(team[0].proIds).toEqual(['p-1', 'p-2']);
    expect(team[0].parts.every((p) => /^p-[12]: /.test(p.reason))).toBe(true);
  });

  it('is independent of the order of candidates', () => {
    const a = candidate('a', [booking('a1', '2026-12-01T09:00:00Z', 30, amersfoort)]);
    const b = candidate('b', [booking('b1', '2026-12-01T08:30:00Z', 30, utrecht)]);
    const c = candidate('c', []);
    const forward = suggestSlots({
      candidates: [a, b, c],
      timeZone: 'Europe/Amsterdam',
      limit: 50,
    });
    const backward = suggestSlots({
      candidates: [c, b, a],
      timeZone: 'Europe/Amsterdam',
      limit: 50,
    });
    expect(backward).toEqual(forward);
  });
});

describe('sequenced availability', () => {
  it('fits a package back to back or with set gaps, each part in a window that allows it', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['TU'],
          start: '09:00',
          end: '10:30',
          serviceIds: ['bathing'],
          emergencyOnly: false,
          repeat: null,
        },
        {
          days: ['TU'],
          start: '10:30',
          end: '12:00',
          serviceIds: ['wound-care'],
          emergencyOnly: false,
          repeat: null,
        },
      ],
    });
    const base = query({ settings });
    const packages = sequenceSlots(base, [{ serviceId: 'bathing' }, { serviceId: 'wound-care' }]);
    expect(
      packages.map((p) => p.items.map((i) => `${hhmm(i.start)}-${hhmm(i.end)}`).join(' ')),
    ).toEqual(['09:30-10:30 10:30-11:15']);
    const gapped = sequenceSlots(base, [
      { serviceId: 'bathing', gapAfterMinutes: 15 },
      { serviceId: 'wound-care' },
    ]);
    expect(gapped.map((p) => hhmm(p.start))).toEqual(['09:15', '09:30']);
  });

  it('counts every item of the package towards the daily booking limit', () => {
    const settings = proSettings({ ...morning, maxBookingsPerDay: 3 });
    const bookings = [booking('early', '2026-12-01T07:00:00Z', 30)];
    const items = [{ serviceId: 'wound-care' }, { serviceId: 'wound-care' }];
    expect(sequenceSlots(query({ settings, bookings }), items).length).toBeGreaterThan(0);
    expect(
      sequenceSlots(query({ settings: { ...settings, maxBookingsPerDay: 2 }, bookings }), items),
    ).toEqual([]);
  });
});
