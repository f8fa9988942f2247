import { UTC, instantOf, parseCalendar } from '@cs/ical';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { busyCalendar } from './busy-calendar';
import type { ExplainedInterval } from './explain-busy-time';

const NOW = Date.parse('2026-11-24T10:00:00Z');

const interval = fc
  .tuple(
    fc.integer({ min: 1_780_000_000, max: 1_800_000_000 }),
    fc.integer({ min: 1, max: 3 * 86_400 }),
    fc.constantFrom<ExplainedInterval['kind']>('external', 'booking', 'hold', 'absence', 'holiday'),
    fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  )
  .map(([seconds, length, kind, name]): ExplainedInterval => {
    const start = seconds * 1000;
    const end = start + length * 1000;
    switch (kind) {
      case 'external':
        return { kind, start, end, calendarId: 'cal-1', eventUid: name };
      case 'booking':
      case 'hold':
        return { kind, start, end, bookingId: name };
      case 'absence':
        return { kind, start, end, absenceId: name };
      case 'holiday':
        return { kind, start, end, date: '2026-12-25' };
    }
  });

describe('busyCalendar', () => {
  it('reads back as one opaque event per interval at the same instants (property)', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 20 }), (intervals) => {
        const parsed = parseCalendar(busyCalendar('pro-1', intervals, NOW));
        expect(parsed.errors).toEqual([]);
        expect(parsed.method).toBe('PUBLISH');
        expect(
          parsed.events.map((e) => ({
            start: instantOf(e.start, UTC),
            end: instantOf(e.start, UTC) + e.duration.days * 86_400_000 + e.duration.ms,
            transparent: e.transparent,
          })),
        ).toEqual(intervals.map((i) => ({ start: i.start, end: i.end, transparent: false })));
      }),
      { numRuns: 100 },
    );
  });

  it('names each kind, never what an external event is about', () => {
    const text = busyCalendar(
      'pro-1',
      [
        {
          kind: 'external',
          start: NOW,
          end: NOW + 3_600_000,
          calendarId: 'cal-1',
          eventUid: 'dentist',
        },
        { kind: 'booking', start: NOW + 7_200_000, end: NOW + 10_800_000, bookingId: 'b-1' },
      ],
      NOW,
    );
    const events = parseCalendar(text).events;
    expect(events.map((e) => e.summary)).toEqual(['Busy', 'Busy (booking)']);
    expect(events.map((e) => e.uid)).toEqual([
      'cal-1/dentist/2026-11-24T10:00:00.000Z@busy.pro-1.careservice',
      'booking/b-1@busy.pro-1.careservice',
    ]);
    expect(text).toContain('\r\nCATEGORIES:EXTERNAL\r\n');
  });
});
