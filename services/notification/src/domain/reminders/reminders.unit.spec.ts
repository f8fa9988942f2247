import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { planReminders, reminderOffsets, reminderStillUseful } from './reminders';

const start = Date.parse('2027-03-10T13:00:00Z');

describe('reminder offsets', () => {
  it("take the client's choice, then the territory's, then 24 h and 2 h", () => {
    expect(reminderOffsets(null, null)).toEqual([1440, 120]);
    expect(reminderOffsets(null, [60, 2880])).toEqual([2880, 60]);
    expect(reminderOffsets([30, 30], [60])).toEqual([30]);
    expect(reminderOffsets([], [60])).toEqual([]);
  });
});

describe('planReminders', () => {
  it('plans one per offset and channel, each before the appointment and after the booking', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 60 * 24 * 14 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 60 * 24 * 20 }),
        (offsets, bookedMinutesBefore) => {
          const bookedAt = start - bookedMinutesBefore * 60_000;
          const planned = planReminders(start, bookedAt, offsets, ['email', 'sms']);
          for (const reminder of planned) {
            expect(reminder.dueAt).toBe(start - reminder.offsetMinutes * 60_000);
            expect(reminder.dueAt).toBeGreaterThan(bookedAt);
            expect(reminder.dueAt).toBeLessThan(start);
          }
          const kept = offsets.filter((o) => o < bookedMinutesBefore);
          expect(planned).toHaveLength(kept.length * 2);
        },
      ),
    );
  });

  it('drops a reminder whose moment passed before the booking was made', () => {
    const bookedAt = start - 3 * 3_600_000;
    expect(planReminders(start, bookedAt, [1440, 120], ['email'])).toEqual([
      { offsetMinutes: 120, channel: 'email', dueAt: start - 7_200_000 },
    ]);
  });

  it('is useful until the appointment begins', () => {
    expect(reminderStillUseful(start, start - 1)).toBe(true);
    expect(reminderStillUseful(start, start)).toBe(false);
  });
});
