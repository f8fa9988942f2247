import { availability } from '@cs/scheduling';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { availabilityQuery } from '../../infrastructure/read-model/engine-input';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';
import { bookableAt, isValidAt, timelessAnswer } from './timeless-answer';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2027-03-08T07:13:00Z');

const schedule = fc.record({
  minNoticeMinutes: fc.option(fc.integer({ min: 0, max: 3000 })),
  horizonDays: fc.option(fc.integer({ min: 1, max: 10 })),
  territoryHorizon: fc.option(fc.integer({ min: 1, max: 10 })),
  staleSourcePolicy: fc.constantFrom('ignore' as const, 'unavailable' as const),
  slotStepMinutes: fc.constantFrom(10, 15, 30, 60),
  holds: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 9 }),
      hour: fc.integer({ min: 8, max: 17 }),
      expiresIn: fc.option(fc.integer({ min: -HOUR, max: 2 * DAY })),
    }),
    { maxLength: 6 },
  ),
  syncedAgo: fc.array(fc.option(fc.integer({ min: 0, max: 3 * HOUR })), { maxLength: 3 }),
});

describe('timelessAnswer', () => {
  it('read at any instant it is valid, says what the engine says then (property)', () => {
    fc.assert(
      fc.property(
        schedule,
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.boolean(),
        (s, later, emergency) => {
          const pro: ProSchedule = {
            proId: 'pro-1',
            version: 1,
            settings: {
              timeZone: 'Europe/Amsterdam',
              territoryId: 'nl',
              homeLocation: null,
              services: [
                {
                  serviceId: 'visit',
                  durationMinutes: 45,
                  bufferBeforeMinutes: 0,
                  bufferAfterMinutes: 10,
                },
              ],
              weeklyHours: [
                {
                  days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA'],
                  start: '08:00',
                  end: '18:00',
                  serviceIds: null,
                  emergencyOnly: false,
                  repeat: null,
                },
              ],
              dateOverrides: [],
              minNoticeMinutes: s.minNoticeMinutes,
              horizonDays: s.horizonDays,
              maxBookingsPerDay: 3,
              slotStepMinutes: s.slotStepMinutes,
              worksOnHolidays: true,
              staleSourcePolicy: s.staleSourcePolicy,
            },
            territory: {
              timeZone: 'Europe/Amsterdam',
              holidayRegion: 'NL',
              averageSpeedKmh: null,
              detourFactor: null,
              defaults: {
                minNoticeMinutes: 60,
                horizonDays: s.territoryHorizon,
                maxBookingsPerDay: null,
              },
            },
            absences: [],
            externalEvents: [],
            appointments: s.holds.map((h, i) => ({
              bookingId: `b-${i}`,
              kind: h.expiresIn === null ? ('booking' as const) : ('hold' as const),
              serviceId: 'visit',
              start: NOW + h.day * DAY + h.hour * HOUR,
              end: NOW + h.day * DAY + h.hour * HOUR + HOUR,
              bufferBeforeMinutes: 0,
              bufferAfterMinutes: 0,
              location: null,
              holdExpiresAt: h.expiresIn === null ? null : NOW + h.expiresIn,
              allowAutoReschedule: false,
            })),
            calendars: s.syncedAgo.map((ago, i) => ({
              calendarId: `cal-${i}`,
              lastSyncedAt: ago === null ? null : NOW - ago,
              state: 'ok',
            })),
          };
          const options = {
            serviceId: 'visit',
            range: { start: NOW, end: NOW + 12 * DAY },
            emergency,
          };
          const cached = timelessAnswer(
            availabilityQuery(pro, { ...options, now: NOW }),
            pro.appointments,
          );
          const at = NOW + later;
          if (!isValidAt(cached, at)) {
            expect(at).toBeGreaterThanOrEqual(cached.validUntil);
            return;
          }
          const direct = availability(availabilityQuery(pro, { ...options, now: at }));
          const { first, end } = bookableAt(cached, at);
          expect(cached.answer.slots.slice(first, end)).toEqual(direct.slots);
          expect(cached.answer.sources).toEqual(direct.sources);
          expect(cached.answer.blockedByStaleSource).toBe(direct.blockedByStaleSource);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ends when a hold expires or a source turns stale', () => {
    const base = {
      computedAt: NOW,
      noticeMs: 0,
      horizonMs: null,
      answer: { slots: [], sources: [], blockedByStaleSource: false },
    };
    expect(isValidAt({ ...base, validUntil: NOW + HOUR }, NOW + HOUR - 1)).toBe(true);
    expect(isValidAt({ ...base, validUntil: NOW + HOUR }, NOW + HOUR)).toBe(false);
    expect(isValidAt({ ...base, validUntil: NOW + HOUR }, NOW - 1)).toBe(false);
  });
});
