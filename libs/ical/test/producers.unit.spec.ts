import { describe, expect, it } from '@jest/globals';
import { type CalendarBusyInterval, busyIntervals, parseCalendar } from '../src';
import { at, fixture, local, zone } from './helpers';

function busy(name: string, zoneId: string, from: string, to: string, allDayBlocks = true) {
  const calendar = parseCalendar(fixture(name));
  expect(calendar.errors).toEqual([]);
  return busyIntervals([{ calendarId: name, events: calendar.events, allDayBlocks }], {
    window: { start: at(from), end: at(to) },
    zone: zone(zoneId),
    ownerEmails: ['Anna.deVries@example.com'],
  });
}

const utc = (intervals: CalendarBusyInterval[]) =>
  intervals.map((i) => `${new Date(i.start).toISOString()} ${new Date(i.end).toISOString()}`);

describe('Google Calendar export', () => {
  it('expands the weekly series with its EXDATE and moved instance, reads floating times in X-WR-TIMEZONE, skips transparent, declined and cancelled events', () => {
    expect(
      utc(busy('google.ics', 'Europe/Amsterdam', '2026-03-23T00:00:00Z', '2026-04-02T00:00:00Z')),
    ).toEqual([
      '2026-03-23T08:00:00.000Z 2026-03-23T09:00:00.000Z',
      '2026-03-24T11:00:00.000Z 2026-03-24T11:30:00.000Z',
      '2026-03-27T23:00:00.000Z 2026-03-29T22:00:00.000Z',
      '2026-03-30T13:00:00.000Z 2026-03-30T14:00:00.000Z',
      '2026-04-01T07:00:00.000Z 2026-04-01T08:00:00.000Z',
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

  it('lets a calendar switch all-day events off', () => {
    expect(
      busy('google.ics', 'UTC', '2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z', false),
    ).toEqual([]);
  });
});

describe('Outlook / Exchange export', () => {
  it('maps Windows zone names to IANA, with CRLF lines and folded UIDs', () => {
    const intervals = busy(
      'outlook.ics',
      'Europe/Amsterdam',
      '2026-03-16T00:00:00Z',
      '2026-04-30T00:00:00Z',
    );
    expect(intervals.map((i) => local(i.start, 'Europe/Berlin'))).toEqual([
      '2026-03-17 09:00',
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
    expect(utc(busy('outlook.ics', 'UTC', '2026-07-01T00:00:00Z', '2026-07-31T00:00:00Z'))).toEqual(
      ['2026-07-07T07:00:00.000Z 2026-07-07T08:00:00.000Z'],
    );
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
    const intervals = busy(
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
    const intervals = busy(
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
    const intervals = busy(
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
    const intervals = busy(
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

describe('the same event in several calendars', () => {
  it('counts once per UID and recurrence id, whatever the calendar order', () => {
    const events = parseCalendar(fixture('google.ics')).events;
    const options = {
      window: { start: at('2026-03-23T00:00:00Z'), end: at('2026-04-02T00:00:00Z') },
      zone: zone('UTC'),
      ownerEmails: [],
    };
    const a = busyIntervals(
      [
        { calendarId: 'b', events, allDayBlocks: true },
        { calendarId: 'a', events, allDayBlocks: true },
      ],
      options,
    );
    const b = busyIntervals(
      [
        { calendarId: 'a', events, allDayBlocks: true },
        { calendarId: 'b', events, allDayBlocks: true },
      ],
      options,
    );
    expect(a).toEqual(b);
    expect(a.every((i) => i.calendarId === 'a')).toBe(true);
    expect(a).toHaveLength(6);
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
    const intervals = busyIntervals(
      [{ calendarId: 'c', events: parseCalendar(text).events, allDayBlocks: true }],
      {
        window: { start: at('2026-03-01T00:00:00Z'), end: at('2026-03-10T00:00:00Z') },
        zone: zone('Europe/Amsterdam'),
        ownerEmails: [],
      },
    );
    expect(intervals.map((i) => local(i.start, 'Europe/Amsterdam'))).toEqual([
      '2026-03-02 09:00',
      '2026-03-04 09:00',
    ]);
  });
});
