import { describe, expect, it } from '@jest/globals';
import {
  type OutgoingEvent,
  itipCancel,
  itipRequest,
  parseCalendar,
  serializeCalendar,
} from '../src';
import { at, instancesIn, zone } from './helpers';

const now = at('2026-11-24T10:00:00Z');

function booking(timeZone: string, extra: Partial<OutgoingEvent> = {}): OutgoingEvent {
  return {
    uid: 'booking-123@careservice.example',
    sequence: 1,
    start: at('2026-12-01T08:00:00Z'),
    end: at('2026-12-01T08:45:00Z'),
    timeZone,
    summary: 'Wound care, with Anna; bring the "blue" kit',
    description: 'Line one\nLine two',
    location: 'Stationsplein 1, Utrecht',
    geo: { lat: 52.0907, lng: 5.1214 },
    organizer: { email: 'bookings@careservice.example', name: 'CareService' },
    attendees: [
      { email: 'client@example.com', name: 'Jansen, Jan' },
      { email: 'anna@example.com', name: 'Anna', partstat: 'ACCEPTED' },
    ],
    ...extra,
  };
}

describe('serializing events', () => {
  it('round-trips through the parser: same instants, text, people and rule', () => {
    const text = serializeCalendar(
      [
        booking('Europe/Amsterdam', {
          rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
          exdates: [at('2026-12-08T08:00:00Z')],
        }),
      ],
      { now },
    );
    const { events, errors } = parseCalendar(text);
    expect(errors).toEqual([]);
    const [event] = events;
    expect([event.uid, event.summary, event.description, event.location, event.sequence]).toEqual([
      'booking-123@careservice.example',
      'Wound care, with Anna; bring the "blue" kit',
      'Line one\nLine two',
      'Stationsplein 1, Utrecht',
      1,
    ]);
    expect(event.geo).toEqual({ lat: 52.0907, lng: 5.1214 });
    expect(event.attendees.map((a) => [a.email, a.name, a.partstat])).toEqual([
      ['client@example.com', 'Jansen, Jan', 'needs-action'],
      ['anna@example.com', 'Anna', 'accepted'],
    ]);
    const instances = instancesIn(
      events,
      { start: at('2026-11-01T00:00:00Z'), end: at('2027-02-01T00:00:00Z') },
      zone('UTC'),
    );
    expect(instances.map((i) => new Date(i.start).toISOString().slice(0, 10))).toEqual([
      '2026-12-01',
      '2026-12-15',
      '2026-12-22',
      '2026-12-29',
      '2027-01-05',
    ]);
  });

  it('writes CRLF lines of at most 75 octets, never splitting a UTF-8 character', () => {
    const description = `${'x'.repeat(100)} wondzorg — één keer per week 💊 ${'é'.repeat(80)}`;
    const text = serializeCalendar([booking('Europe/Amsterdam', { description })], { now });
    const lines = text.split('\r\n');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines.every((l) => new TextEncoder().encode(l).length <= 75 && !l.includes('\n'))).toBe(
      true,
    );
    expect(parseCalendar(text).events[0].description).toBe(description);
  });

  it.each(['Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'])(
    'includes a VTIMEZONE for %s that agrees with the tz database all year',
    (zoneId) => {
      const text = serializeCalendar([booking(zoneId)], { now })
        .replaceAll(`TZID:${zoneId}`, 'TZID:Only From File')
        .replaceAll(`TZID=${zoneId}`, 'TZID=Only From File');
      const { events, errors } = parseCalendar(text);
      expect(errors).toEqual([]);
      const start = events[0].start;
      if (start.kind !== 'zoned') throw new Error('expected a zoned start');
      expect(start.zone.id).toBe('Only From File');
      for (
        let t = at('2026-01-01T00:30:00Z');
        t < at('2027-01-01T00:00:00Z');
        t += 3 * 3_600_000 + 17 * 60_000
      ) {
        expect(start.zone.offsetAt(t)).toBe(zone(zoneId).offsetAt(t));
      }
    },
  );

  it('names an unknown zone', () => {
    expect(() => serializeCalendar([booking('Mars/Base')], { now })).toThrow(/unknown-tzid/);
  });
});

describe('iTIP', () => {
  it('REQUEST asks every attendee to reply, keeping the organizer and sequence', () => {
    const text = itipRequest(booking('Europe/Amsterdam'), now);
    const { method, events } = parseCalendar(text);
    expect(method).toBe('REQUEST');
    expect(events[0].status).toBe('confirmed');
    expect(events[0].organizer).toEqual({
      email: 'bookings@careservice.example',
      name: 'CareService',
    });
    expect(text).toMatch(
      /ATTENDEE;CN="Jansen, Jan";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=T\r\n RUE:mailto:client@example.com/,
    );
    expect(text).toContain('DTSTART;TZID=Europe/Amsterdam:20261201T090000');
    expect(text).toContain('DTSTAMP:20261124T100000Z');
    expect(text).toContain('BEGIN:VTIMEZONE');
  });

  it('CANCEL carries the same UID, the new sequence and STATUS:CANCELLED', () => {
    const text = itipCancel(booking('Europe/Amsterdam', { sequence: 2 }), now);
    const { method, events } = parseCalendar(text);
    expect(method).toBe('CANCEL');
    expect(events.map((e) => [e.uid, e.sequence, e.status])).toEqual([
      ['booking-123@careservice.example', 2, 'cancelled'],
    ]);
  });
});
