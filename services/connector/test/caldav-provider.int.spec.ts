import { startCalDavServer, type CalDavServerHandle, type CalDavServerKind } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CalendarRef, Credentials } from '../src/domain/provider/calendar-provider';
import { CalDavProvider } from '../src/infrastructure/providers/caldav/caldav-provider';
import { failure } from './support/provider-failure';

const event = (uid: string, start: string, summary = 'Dentist') =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//plain client//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261120T080000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe.each<CalDavServerKind>(['radicale', 'xandikos'])('CalDAV adapter against %s', (kind) => {
  let server: CalDavServerHandle;
  let credentials: Credentials;
  let calendar: CalendarRef;
  const requests: string[] = [];
  const provider = new CalDavProvider({
    timeoutMs: 5_000,
    allowPrivateAddresses: true,
    onRequest: (method) => requests.push(method),
  });
  const etagOnly = new CalDavProvider({
    timeoutMs: 5_000,
    allowPrivateAddresses: true,
    disableSyncCollection: true,
  });

  beforeAll(async () => {
    server = await startCalDavServer(kind);
    credentials = {
      provider: 'caldav',
      serverUrl: server.url,
      username: server.username,
      password: server.password,
    };
  });
  afterAll(() => server.dispose());

  it('discovers the calendars from the server URL, with name, colour and writability', async () => {
    const calendars = await provider.discover(credentials);
    const found = calendars.find((c) => c.url === server.calendarUrl);
    expect(found).toMatchObject({ writable: true, supportsDelta: true });
    expect(found?.name).toBeTruthy();
    calendar = { calendarId: 'cal-1', url: found!.url, supportsDelta: found!.supportsDelta };
  });

  it('lists everything first, then only what changed since the sync token', async () => {
    await server.put(`${server.calendarUrl}a.ics`, event('a@test', '20261201T090000Z'));
    await server.put(`${server.calendarUrl}b.ics`, event('b@test', '20261201T110000Z'));
    const first = await provider.list(credentials, calendar, null);
    expect(first.kind).toBe('full');
    expect(first.items.map((i) => i.href.split('/').pop()).sort()).toEqual(['a.ics', 'b.ics']);
    expect(first.items.every((i) => i.etag)).toBe(true);
    expect(first.cursor).toMatch(/^sync:/);

    const unchanged = await provider.list(credentials, calendar, first.cursor);
    expect(unchanged).toMatchObject({ kind: 'delta', items: [], removed: [] });

    await server.put(`${server.calendarUrl}a.ics`, event('a@test', '20261201T100000Z', 'Moved'));
    await server.remove(`${server.calendarUrl}b.ics`);
    requests.length = 0;
    const delta = await provider.list(credentials, calendar, unchanged.cursor);
    expect(requests).toEqual(['REPORT']);
    expect(delta.kind).toBe('delta');
    expect(delta.items.map((i) => i.href.split('/').pop())).toEqual(['a.ics']);
    expect(delta.removed.map((h) => h.split('/').pop())).toEqual(['b.ics']);

    const [fetched] = await provider.fetch(credentials, calendar, [delta.items[0]!.href]);
    expect(fetched?.data).toContain('SUMMARY:Moved');
    expect(fetched?.etag).toBe(delta.items[0]!.etag);
  });

  it('falls back to a full listing when the sync token is unknown', async () => {
    const listing = await provider.list(credentials, calendar, 'sync:http://example.invalid/bogus');
    expect(listing.kind).toBe('full');
    expect(listing.items.map((i) => i.href.split('/').pop())).toEqual(['a.ics']);
  });

  it('lists with an etag-only calendar-query REPORT where sync-collection is not used', async () => {
    requests.length = 0;
    const full = await etagOnly.list(credentials, calendar, null);
    expect(full.kind).toBe('full');
    expect(full.items.map((i) => i.href.split('/').pop())).toEqual(['a.ics']);
    const again = await etagOnly.list(credentials, calendar, full.cursor);
    expect(again).toMatchObject({ kind: 'delta', items: [] });
  });

  it('creates only what does not exist and updates or deletes only the version it saw', async () => {
    const created = await provider.write(credentials, calendar, {
      href: null,
      uid: 'booking-1@bookings.careservice',
      data: event('booking-1@bookings.careservice', '20261202T090000Z', 'Booking'),
      ifMatch: null,
    });
    expect(created.etag).toBeTruthy();
    const again = await failure(
      provider.write(credentials, calendar, {
        href: null,
        uid: 'booking-1@bookings.careservice',
        data: event('booking-1@bookings.careservice', '20261202T090000Z', 'Booking'),
        ifMatch: null,
      }),
    );
    expect(again.kind).toBe('precondition_failed');

    const updated = await provider.write(credentials, calendar, {
      href: created.href,
      uid: 'booking-1@bookings.careservice',
      data: event('booking-1@bookings.careservice', '20261202T100000Z', 'Booking'),
      ifMatch: created.etag,
    });
    expect(updated.etag).not.toBe(created.etag);
    const stale = await failure(
      provider.write(credentials, calendar, {
        href: created.href,
        uid: 'booking-1@bookings.careservice',
        data: event('booking-1@bookings.careservice', '20261202T110000Z', 'Booking'),
        ifMatch: created.etag,
      }),
    );
    expect(stale.kind).toBe('precondition_failed');
    expect(
      (await failure(provider.remove(credentials, calendar, created.href, created.etag))).kind,
    ).toBe('precondition_failed');
    await provider.remove(credentials, calendar, created.href, updated.etag);
    expect(await server.get(new URL(created.href, server.url).href)).toBeNull();
  });

  it('reports an unreachable server as transient', async () => {
    const port = new URL(server.url).port;
    const error = await failure(
      provider.list(credentials, { ...calendar, url: `http://127.0.0.1:1/x/` }, null),
    );
    expect(error.kind).toBe('transient');
    expect(port).toBeTruthy();
  });
});

describe('CalDAV adapter with a password', () => {
  let server: CalDavServerHandle;
  beforeAll(async () => {
    server = await startCalDavServer('radicale', {
      credentials: { username: 'anna', password: 'right-horse-battery' },
    });
  });
  afterAll(() => server.dispose());

  it('refuses a server on a loopback or private address unless allowed, by IP or by name', async () => {
    const strict = new CalDavProvider({ timeoutMs: 5_000, allowPrivateAddresses: false });
    const port = new URL(server.url).port;
    for (const serverUrl of [server.url, `http://localhost:${port}/`, 'http://10.1.2.3/dav/']) {
      const error = await failure(
        strict.discover({ provider: 'caldav', serverUrl, username: 'anna', password: 'x' }),
      );
      expect(error.kind).toBe('invalid_data');
      expect(error.message).toMatch(/not public/);
    }
  });

  it('answers auth_revoked to a wrong password, without the password in the message', async () => {
    const provider = new CalDavProvider({ timeoutMs: 5_000, allowPrivateAddresses: true });
    const error = await failure(
      provider.discover({
        provider: 'caldav',
        serverUrl: server.url,
        username: 'anna',
        password: 'wrong-staple',
      }),
    );
    expect(error.kind).toBe('auth_revoked');
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-staple');
    const calendars = await provider.discover({
      provider: 'caldav',
      serverUrl: server.url,
      username: 'anna',
      password: 'right-horse-battery',
    });
    expect(calendars.map((c) => c.name)).toContain('Personal');
  });
});
