import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  instancesOf,
  firstEvent as parsed,
  ZONED_BOOKING as booking,
  ZONED_BOOKING_UID,
} from '../../../../test/support/ical';
import { API_OWNER_ADDRESS } from '../provider-event-ical';
import { eventIdFor, eventToIcs, icsToEvent, UID_PROPERTY } from './google-event-ical';

describe('Google events as VEVENTs', () => {
  it('keeps a timed event’s instants and its id as UID', () => {
    const event = parsed(
      eventToIcs({
        id: 'abc123',
        summary: 'dentist',
        start: { dateTime: '2026-12-01T10:00:00+01:00' },
        end: { dateTime: '2026-12-01T11:00:00+01:00' },
      }),
    );
    expect(event).toMatchObject({
      uid: 'abc123',
      summary: 'dentist',
      transparent: false,
      allDay: false,
    });
    expect(event.duration).toEqual({ days: 0, ms: 3_600_000 });
  });

  it('keeps all-day dates with Google’s exclusive end', () => {
    const event = parsed(
      eventToIcs({ id: 'x1', start: { date: '2026-03-02' }, end: { date: '2026-03-04' } }),
    );
    expect(event.allDay).toBe(true);
    expect(event.duration.days).toBe(2);
  });

  const base = {
    start: { dateTime: '2026-03-02T08:00:00Z' },
    end: { dateTime: '2026-03-02T17:00:00Z' },
  };

  it('blocks out of office and opaque events; a working location or a transparent event does not', () => {
    const transparent = (extra: object) =>
      parsed(eventToIcs({ id: 'e1', ...base, ...extra })).transparent;
    expect(transparent({ eventType: 'outOfOffice', transparency: 'transparent' })).toBe(false);
    expect(transparent({ eventType: 'workingLocation' })).toBe(true);
    expect(transparent({ transparency: 'transparent' })).toBe(true);
    expect(transparent({ transparency: 'opaque' })).toBe(false);
  });

  it('says the calendar’s own attendee (`self`) declined as the owner’s PARTSTAT, no one else’s', () => {
    const owner = (extra: object) =>
      parsed(eventToIcs({ id: 'e1', ...base, ...extra })).attendees.map(
        (a) => `${a.email} ${a.partstat}`,
      );
    const declined = { email: 'pro@example.com', self: true, responseStatus: 'declined' };
    expect(owner({ attendees: [declined] })).toEqual([`${API_OWNER_ADDRESS} declined`]);
    expect(owner({ attendees: [{ ...declined, responseStatus: 'accepted' }] })).toEqual([]);
    expect(owner({ attendees: [{ ...declined, self: false }] })).toEqual([]);
    expect(parsed(eventToIcs({ id: 'e1', ...base, attendees: [declined] })).transparent).toBe(
      false,
    );
  });

  it('uses the UID we marked our copy with', () => {
    const event = parsed(
      eventToIcs({
        id: 'cs0123',
        start: { dateTime: '2026-03-02T08:00:00Z' },
        end: { dateTime: '2026-03-02T09:00:00Z' },
        extendedProperties: { private: { [UID_PROPERTY]: 'booking-1@bookings.careservice' } },
      }),
    );
    expect(event.uid).toBe('booking-1@bookings.careservice');
  });

  it('has nothing to say of an event without times', () => {
    expect(eventToIcs({ id: 'gone', status: 'cancelled' })).toBeNull();
  });
});

describe('bookings as Google events', () => {
  it('keeps the instants and the zone, and marks the copy with its UID', () => {
    expect(icsToEvent(booking, ZONED_BOOKING_UID)).toMatchObject({
      summary: 'CareService: wound-care',
      start: { dateTime: '2026-12-03T09:00:00.000Z', timeZone: 'Europe/Amsterdam' },
      end: { dateTime: '2026-12-03T09:45:00.000Z', timeZone: 'Europe/Amsterdam' },
      extendedProperties: { private: { [UID_PROPERTY]: ZONED_BOOKING_UID } },
    });
  });

  it('round-trips through Google’s shape to the same instance', () => {
    const asGoogle = icsToEvent(booking, ZONED_BOOKING_UID);
    const back = eventToIcs({ ...asGoogle, id: eventIdFor(ZONED_BOOKING_UID) });
    expect(parsed(back).uid).toBe(ZONED_BOOKING_UID);
    expect(instancesOf(back)).toHaveLength(1);
  });

  it('refuses what is not one timed event', () => {
    expect(() => icsToEvent('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'u')).toThrow(
      /one timed VEVENT/,
    );
  });
});

describe('client-chosen event ids', () => {
  it('are base32hex of a length Google accepts, and one per UID', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        expect(eventIdFor(a)).toMatch(/^[0-9a-v]{5,1024}$/);
        expect(eventIdFor(a)).toBe(eventIdFor(a));
        if (a !== b) expect(eventIdFor(a)).not.toBe(eventIdFor(b));
      }),
    );
  });
});
