import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@cs/contracts';
import { historyJsonLines, historyText } from './format-history';
import type { Cause, HistoryEntry } from './history';

const entry = (id: string, type: string, cause: Cause, data: unknown = { n: 1 }): HistoryEntry => ({
  service: 'booking',
  position: 7,
  envelope: {
    id,
    type,
    schemaVersion: 1,
    streamId: 'pro-schedule-p',
    streamVersion: 2,
    occurredAt: '2026-12-01T09:00:00.000Z',
    recordedAt: '2026-12-01T09:00:00.000Z',
    correlationId: 'corr',
    causationId: cause.kind === 'request' ? null : 'x',
    actor: { kind: 'pro', id: 'p' },
    data,
  } as Envelope,
  cause,
});

describe('historyText', () => {
  it('names each cause: a request, an event above, one elsewhere, one nowhere', () => {
    const lines = historyText([
      entry('e1', 'booking.confirmed', { kind: 'request', actor: { kind: 'pro', id: 'p' } }),
      entry('e2', 'booking.rescheduled', {
        kind: 'event',
        inHistory: true,
        event: {
          id: 'e1',
          type: 'booking.confirmed',
          service: 'booking',
          streamId: 's',
          streamVersion: 1,
        },
      }),
      entry('e3', 'booking.conflict_detected', {
        kind: 'event',
        inHistory: false,
        event: {
          id: 'u',
          type: 'calendar.event_upserted',
          service: 'sync',
          streamId: 'calendar-c',
          streamVersion: 4,
        },
      }),
      entry(
        'e4',
        'booking.cancelled',
        { kind: 'unknown', eventId: 'gone' },
        { text: 'x'.repeat(500) },
      ),
    ]);
    expect(lines[0]).toBe(
      '#1  2026-12-01T09:00:00.000Z  booking       booking.confirmed  (pro-schedule-p v2, event e1)',
    );
    expect(lines.filter((line) => line.includes('caused by'))).toEqual([
      '    caused by a request of pro p; correlation corr',
      '    caused by #1 booking.confirmed; correlation corr',
      '    caused by calendar.event_upserted (sync, calendar-c v4, event u, outside this history); correlation corr',
      '    caused by event gone (in none of the event stores read); correlation corr',
    ]);
    expect(lines.at(-1)!.length).toBe(4 + 240);
    expect(lines.at(-1)!.endsWith('…')).toBe(true);
  });
});

describe('historyJsonLines', () => {
  it('gives the whole envelope with where it was recorded and its cause', () => {
    const [line] = historyJsonLines([
      entry(
        'e1',
        'booking.confirmed',
        { kind: 'request', actor: { kind: 'pro', id: 'p' } },
        { text: 'x'.repeat(500) },
      ),
    ]);
    expect(JSON.parse(line!)).toMatchObject({
      service: 'booking',
      position: 7,
      id: 'e1',
      type: 'booking.confirmed',
      data: { text: 'x'.repeat(500) },
      cause: { kind: 'request', actor: { kind: 'pro', id: 'p' } },
    });
  });
});
