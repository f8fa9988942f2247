import { startCalDavServer, type CalDavServerHandle, type CalDavServerKind } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CalendarRef, Credentials } from '../src/domain/provider/calendar-provider';
import { CalDavProvider } from '../src/infrastructure/providers/caldav/caldav-provider';

const booking = (summary: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//careservice//EN',
    'BEGIN:VEVENT',
    'UID:booking-b-1@bookings.careservice',
    'DTSTAMP:20261120T080000Z',
    'DTSTART:20261201T090000Z',
    'DURATION:PT45M',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/**
 * Sync's last resort after a lost answer or a stale ETag (a crash between the PUT and recording
 * its ETag) is `ifMatch: '*'`: write over whatever is there.
 */
describe.each<CalDavServerKind>(['radicale', 'xandikos'])(
  'a CalDAV write with ifMatch * against %s',
  (kind) => {
    let server: CalDavServerHandle;
    let credentials: Credentials;
    let calendar: CalendarRef;
    const provider = new CalDavProvider({ timeoutMs: 5_000, allowPrivateAddresses: true });

    beforeAll(async () => {
      server = await startCalDavServer(kind);
      credentials = {
        provider: 'caldav',
        serverUrl: server.url,
        username: server.username,
        password: server.password,
      };
      calendar = { calendarId: 'cal-1', url: server.calendarUrl, supportsDelta: true };
    });
    afterAll(() => server.dispose());

    it('creates the resource when it is not there', async () => {
      const written = await provider.write(credentials, calendar, {
        href: null,
        uid: 'booking-b-1@bookings.careservice',
        data: booking('first'),
        ifMatch: '*',
      });
      expect((await server.get(new URL(written.href, server.url).href))?.ics).toContain(
        'SUMMARY:first',
      );
    });

    it('writes over a copy whose ETag the caller never learnt', async () => {
      const again = () =>
        provider.write(credentials, calendar, {
          href: null,
          uid: 'booking-b-1@bookings.careservice',
          data: booking('second'),
          ifMatch: null,
        });
      await expect(again()).rejects.toMatchObject({ kind: 'precondition_failed' });
      const written = await provider.write(credentials, calendar, {
        href: null,
        uid: 'booking-b-1@bookings.careservice',
        data: booking('second'),
        ifMatch: '*',
      });
      const stored = await server.get(new URL(written.href, server.url).href);
      expect(stored?.ics).toContain('SUMMARY:second');
      expect(written.etag).toBe(stored?.etag);
    });
  },
);
