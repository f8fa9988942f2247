import { type Appointment } from '@cs/scheduling';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { MIN, dayBefore, inputs, t } from '../../../test/support/domain-fixtures';
import { packageAlternatives } from './package-alternatives';

const now = dayBefore;

const booking = (start: number, serviceId = 'wound-care'): Appointment => ({
  bookingId: `b-${start}`,
  kind: 'booking',
  serviceId,
  start,
  end: start + 45 * MIN,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  location: null,
});

const base = { emergency: false, override: false, location: null };

describe('packageAlternatives', () => {
  it('moves the whole package, keeping its order and gaps, clear of other bookings', () => {
    const items = [
      { serviceId: 'wound-care', start: t('10:00') },
      { serviceId: 'bathing', start: t('11:15') },
    ];
    const alternatives = packageAlternatives(items, base, inputs, [booking(t('11:00'))], now);
    expect(alternatives.length).toBe(5);
    for (const a of alternatives) {
      expect(a.items.map((i) => i.serviceId)).toEqual(['wound-care', 'bathing']);
      expect(a.items[1]!.start - a.items[0]!.start).toBe(75 * MIN);
      expect(a.start).not.toBe(t('10:00'));
    }
    expect(alternatives.map((a) => a.start)).toContain(t('09:00'));
  });

  it('offers nothing for items that overlap each other or a service the Pro does not offer', () => {
    const overlapping = [
      { serviceId: 'wound-care', start: t('10:00') },
      { serviceId: 'wound-care', start: t('10:30') },
    ];
    expect(packageAlternatives(overlapping, base, inputs, [], now)).toEqual([]);
    expect(
      packageAlternatives([{ serviceId: 'x', start: t('10:00') }], base, inputs, [], now),
    ).toEqual([]);
  });

  it('never proposes a package that touches a booking within its buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 28 }), { maxLength: 6 }), (quarters) => {
        const taken = [...new Set(quarters)].map((q) => booking(t('09:00') + q * 15 * MIN));
        const items = [
          { serviceId: 'wound-care', start: t('10:00') },
          { serviceId: 'wound-care', start: t('11:00') },
        ];
        for (const a of packageAlternatives(items, base, inputs, taken, now)) {
          for (const item of a.items) {
            for (const b of taken) {
              const clear = item.end + 15 * MIN <= b.start || b.end + 15 * MIN <= item.start;
              expect(clear).toBe(true);
            }
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
