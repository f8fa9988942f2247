import { describe, expect, it } from '@jest/globals';
import { type EventInstance, parseCalendar } from '../src';
import { at, fixture, instancesIn, local, zone } from './helpers';

/** The instances a fixture gives in [from, to), read in `zoneId`. */
function times(name: string, zoneId: string, from: string, to: string) {
  const calendar = parseCalendar(fixture(name));
  expect(calendar.errors).toEqual([]);
  return instancesIn(calendar.events, { start: at(from), end: at(to) }, zone(zoneId));
}

const utc = (intervals: EventInstance[]) =>
  intervals.map((i) => `${new Date(i.start).toISOString()} ${new Date(i.end).toISOString()}`);

describe('Google Calendar export', () => {
  it('expands the weekly series with its EXDATE and moved instance, reads floating times in X-WR-TIMEZONE, keeps what marks transparent and cancelled events', () => {
    const instances = times(
      'google.ics',
      'Europe/Amsterdam',
      '2026-03-23T00:00:00Z',
      '2026-04-02T00:00:00Z',
    );
    const marks = instances.map(
      ({ event }) => `${event.status}${event.transparent ? ' free' : ''}`,
    );
    expect(utc(instances).map((times, i) => `${times} ${marks[i]}`)).toEqual([
      '2026-03-23T08:00:00.000Z 2026-03-23T09:00:00.000Z confirmed',
      '2026-03-24T11:00:00.000Z 2026-03-24T11:30:00.000Z confirmed',
      '2026-03-26T13:00:00.000Z 2026-03-26T14:00:00.000Z confirmed',
      '2026-03-26T15:00:00.000Z 2026-03-26T16:00:00.000Z cancelled',
      '2026-03-26T23:00:00.000Z 2026-03-27T23:00:00.000Z confirmed free',
      '2026-03-27T23:00:00.000Z 2026-03-29T22:00:00.000Z confirmed',
      '2026-03-30T13:00:00.000Z 2026-03-30T14:00:00.000Z confirmed',
      '2026-04-01T07:00:00.000Z 2026-04-01T08:00:00.000Z confirmed',
    ]);
  });

  it('keeps what the event says: folded text, attendees, organizer, sequence', () => {
    const { events, method, calendarZone } = parseCalendar(fixture('google.ics'));
    expect([method, calendarZone?.id]).toEqual(['PUBLISH', 'Europe/Amsterdam']);
    const huddle = events[0];
    expect(huddle.description).toBe(
      'Weekly team huddle. Join with Google Meet: https://meet.google.com/abc-defg-hij',
    );
    expect(huddle.location).toBe('Kantoor Utrecht, Stationsplein 1');
    expect(huddle.sequence).toBe(2);
    const invite = events.find((e) => e.uid === 'invite-declined@google.com');
    expect(invite?.organizer).toEqual({ email: 'praktijk@example.nl', name: 'Huisartsenpraktijk' });
    expect(invite?.attendees.map((a) => [a.email, a.name, a.partstat])).toEqual([
      ['anna.devries@example.com', 'Anna de Vries', 'declined'],
      ['praktijk@example.nl', 'Huisartsenpraktijk', 'accepted'],
    ]);
  });
});

describe('Outlook / Exchange export', () => {
  it('maps Windows zone names to IANA, with CRLF lines and folded UIDs', () => {
    const intervals = times(
      'outlook.ics',
      'Europe/Amsterdam',
      '2026-03-16T00:00:00Z',
      '2026-04-30T00:00:00Z',
    );
    expect(intervals.map((i) => local(i.start, 'Europe/Berlin'))).toEqual([
      '2026-03-17 09:00',
      // Focus time: free, which its TRANSP says (the test below).
      '2026-03-18 13:00',
      '2026-03-20 00:00',
      '2026-03-24 09:00',
      '2026-03-31 09:00',
      '2026-04-07 09:00',
      '2026-04-14 09:00',
    ]);
    expect(intervals[0].uid).toBe(
      '040000008200E00074C5B7101A82E00800000000D0C6A0E5C2A5DC01000000000000000010000000A5D2F0B8E7B2E54A9C9B2D3F3A4E5F60',
    );
  });

  it('reads a custom VTIMEZONE it has no name for, in summer and in winter', () => {
    const calendar = parseCalendar(fixture('outlook.ics'));
    const call = calendar.events.find((e) => e.summary === 'Helsinki call');
    expect(
      call?.start.kind === 'zoned' && call.start.zone.offsetAt(at('2026-07-07T07:00:00Z')),
    ).toBe(3 * 3_600_000);
    expect(
      call?.start.kind === 'zoned' && call.start.zone.offsetAt(at('2026-01-07T07:00:00Z')),
    ).toBe(2 * 3_600_000);
    expect(
      utc(times('outlook.ics', 'UTC', '2026-07-01T00:00:00Z', '2026-07-31T00:00:00Z')),
    ).toEqual(['2026-07-07T07:00:00.000Z 2026-07-07T08:00:00.000Z']);
  });

  it('treats X-MICROSOFT-CDO-BUSYSTATUS:FREE as free', () => {
    const focus = parseCalendar(fixture('outlook.ics')).events.find(
      (e) => e.summary === 'Focus time',
    );
    expect(focus?.transparent).toBe(true);
  });
});

describe('Apple Calendar export', () => {
  it('keeps wall-clock times across the US spring-forward and reads DURATION, VALARM and GEO', () => {
    const intervals = times(
      'apple.ics',
      'America/New_York',
      '2026-03-05T00:00:00Z',
      '2026-03-12T00:00:00Z',
    );
    expect(
      intervals.map((i) => `${local(i.start, 'America/New_York')} ${(i.end - i.start) / 60_000}`),
    ).toEqual([
      '2026-03-06 10:00 30',
      '2026-03-07 00:00 2820',
      '2026-03-07 10:00 30',
      '2026-03-08 01:30 120',
      '2026-03-08 10:00 30',
      '2026-03-09 10:00 30',
    ]);
    const shift = parseCalendar(fixture('apple.ics')).events.find(
      (e) => e.summary === 'Overnight shift handover',
    );
    expect(shift?.geo).toEqual({ lat: 40.7128, lng: -74.006 });
  });
});

describe('Radicale, Nextcloud and Thunderbird exports', () => {
  it('Radicale: floating times and RDATE lists in the viewer zone', () => {
    const intervals = times(
      'radicale.ics',
      'Europe/Amsterdam',
      '2026-04-01T00:00:00Z',
      '2026-05-01T00:00:00Z',
    );
    expect(intervals.map((i) => local(i.start, 'Europe/Amsterdam'))).toEqual([
      '2026-04-10 08:00',
      '2026-04-13 14:00',
      '2026-04-17 08:00',
      '2026-04-24 08:00',
    ]);
  });

  it('Nextcloud: RECURRENCE-ID;RANGE=THISANDFUTURE moves every later instance', () => {
    const intervals = times(
      'nextcloud.ics',
      'Europe/Brussels',
      '2026-03-30T00:00:00Z',
      '2026-05-01T00:00:00Z',
    );
    expect(
      intervals.map((i) => `${local(i.start, 'Europe/Brussels')} ${(i.end - i.start) / 60_000}`),
    ).toEqual([
      '2026-04-01 10:00 60',
      '2026-04-08 10:00 60',
      '2026-04-15 14:00 90',
      '2026-04-22 14:00 90',
      '2026-04-29 14:00 90',
    ]);
  });

  it('Thunderbird: vendor-prefixed TZIDs and a last-day-of-month rule', () => {
    const intervals = times(
      'thunderbird.ics',
      'UTC',
      '2026-01-01T00:00:00Z',
      '2026-05-01T00:00:00Z',
    );
    expect(utc(intervals).map((s) => s.slice(0, 24))).toEqual([
      '2026-01-31T15:00:00.000Z',
      '2026-02-28T15:00:00.000Z',
      '2026-03-31T14:00:00.000Z',
      '2026-04-30T14:00:00.000Z',
    ]);
  });
});

describe('lenient reading of common producer quirks', () => {
  it('a DATE EXDATE on a timed series removes that day', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:quirk',
      'DTSTART;TZID=Europe/Amsterdam:20260302T090000',
      'DURATION:PT1H',
      'RRULE:FREQ=DAILY;COUNT=3',
      'EXDATE;VALUE=DATE:20260303',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const intervals = instancesIn(
      parseCalendar(text).events,
      { start: at('2026-03-01T00:00:00Z'), end: at('2026-03-10T00:00:00Z') },
      zone('Europe/Amsterdam'),
    );
    expect(intervals.map((i) => local(i.start, 'Europe/Amsterdam'))).toEqual([
      '2026-03-02 09:00',
      '2026-03-04 09:00',
    ]);
  });
});
