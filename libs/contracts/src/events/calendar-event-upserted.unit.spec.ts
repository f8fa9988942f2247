import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../registry';
import { calendarEventUpserted } from './sync';

const registry = new EventRegistry([calendarEventUpserted]);

const v1 = {
  proId: 'pro-1',
  calendarId: 'cal-1',
  eventUid: 'u1',
  recurrenceId: null,
  start: '2026-03-10T09:00:00.000Z',
  end: '2026-03-10T10:00:00.000Z',
  allDay: false,
  status: 'confirmed',
  transparent: false,
  declinedByPro: false,
  rrule: null,
  exdates: [],
  timeZone: null,
  location: null,
  bookingId: null,
};

/** Given a stored v1 event, when it is read, then this is the v2 data. */
const given = (data: Record<string, unknown>) => ({
  whenRead: () => {
    const envelope = registry.parse({
      id: '0190a4c2-6b1e-7cc0-8f3e-1b2c3d4e5f60',
      type: 'calendar.event_upserted',
      schemaVersion: 1,
      streamId: 'calendar-cal-1',
      streamVersion: 1,
      occurredAt: '2026-03-01T10:00:00.000Z',
      recordedAt: '2026-03-01T10:00:00.001Z',
      correlationId: 'c-1',
      causationId: null,
      actor: { kind: 'system', id: 'sync' },
      data: { ...v1, ...data },
    });
    return {
      then: (expected: Record<string, unknown>) =>
        expect(envelope.data).toEqual({ ...v1, rdates: [], ...expected }),
    };
  },
});

describe('calendar.event_upserted v1 → v2', () => {
  it('given an all-day v1 event (dates read at UTC midnight), when read, then it carries dates for the Pro’s zone', () => {
    given({
      allDay: true,
      start: '2026-03-10T00:00:00.000Z',
      end: '2026-03-12T00:00:00.000Z',
      rrule: 'FREQ=WEEKLY',
      exdates: ['2026-03-17T00:00:00.000Z'],
    })
      .whenRead()
      .then({
        allDay: true,
        start: '2026-03-10',
        end: '2026-03-12',
        rrule: 'FREQ=WEEKLY',
        exdates: ['2026-03-17'],
      });
  });

  it('given a floating v1 event (read as UTC), when read, then it carries wall-clock times for the Pro’s zone', () => {
    given({ recurrenceId: '2026-03-10T09:00:00.000Z' }).whenRead().then({
      recurrenceId: '2026-03-10T09:00:00',
      start: '2026-03-10T09:00:00',
      end: '2026-03-10T10:00:00',
    });
  });

  it('given a v1 event in a named zone, when read, then its instants stay instants and it has no RDATEs', () => {
    given({ timeZone: 'Europe/Amsterdam', exdates: ['2026-03-17T08:00:00.000Z'] })
      .whenRead()
      .then({ timeZone: 'Europe/Amsterdam', exdates: ['2026-03-17T08:00:00.000Z'] });
  });
});
