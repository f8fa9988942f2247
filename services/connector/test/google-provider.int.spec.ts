import {
  type GoogleCalendarEmulator,
  startGoogleCalendarEmulator,
  type TestContext,
} from '@cs/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { systemClock } from '@cs/eventing';
import type { CalendarRef, GoogleCredentials } from '../src/domain/provider/calendar-provider';
import { FreshCredentials } from '../src/infrastructure/oauth/fresh-credentials';
import { GoogleTokens } from '../src/infrastructure/oauth/google-tokens';
import type { GoogleClientConfig } from '../src/infrastructure/providers/google/google-client';
import { GoogleProvider } from '../src/infrastructure/providers/google/google-provider';
import { ProviderItemStore } from '../src/infrastructure/providers/provider-item-store';
import { connectionStore, connectorTables, insertConnection } from './support/connector-db';
import { googleConfig } from './support/emulator-config';
import { bookingIcs as booking } from './support/ical';
import { failure } from './support/provider-failure';

let ctx: TestContext;
let emulator: GoogleCalendarEmulator;
let config: GoogleClientConfig;
let provider: GoogleProvider;
let credentials: GoogleCredentials;
let calendar: CalendarRef;
let n = 0;

const timed = (start: string, end: string, extra: object = {}) => ({
  start: { dateTime: start },
  end: { dateTime: end },
  ...extra,
});

beforeAll(async () => {
  ctx = await connectorTables();
});
afterAll(() => ctx.cleanup());
beforeEach(async () => {
  emulator = await startGoogleCalendarEmulator();
  config = googleConfig(emulator);
  provider = new GoogleProvider(config, new ProviderItemStore(ctx.pool), systemClock);
  credentials = {
    provider: 'google',
    accessToken: emulator.issueAccessToken(),
    refreshToken: null,
    expiresAt: null,
  };
  calendar = { calendarId: `cal-${++n}`, url: emulator.account, supportsDelta: true };
});
afterEach(() => emulator.stop());

describe('GoogleProvider against the emulator', () => {
  it('discovers the calendars the token reaches, primary first', async () => {
    emulator.addCalendar({
      id: 'shared@group.calendar.google.com',
      summary: 'Team',
      accessRole: 'reader',
    });
    const found = await provider.discover(credentials);
    expect(found).toEqual([
      expect.objectContaining({ url: emulator.account, writable: true, supportsDelta: true }),
      expect.objectContaining({
        url: 'shared@group.calendar.google.com',
        name: 'Team',
        writable: false,
      }),
    ]);
  });

  it('lists fully, then only changes with the sync token; a cancelled instance is removed', async () => {
    const dentist = emulator.asUser.insert(
      'primary',
      timed('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z'),
    );
    const series = emulator.asUser.insert('primary', {
      start: { dateTime: '2026-12-07T09:00:00Z', timeZone: 'UTC' },
      end: { dateTime: '2026-12-07T10:00:00Z', timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    });
    const full = await provider.list(credentials, calendar, null);
    expect(full.kind).toBe('full');
    expect(full.items).toHaveLength(4);
    expect(full.cursor).toBeTruthy();
    const fetched = await provider.fetch(credentials, calendar, [dentist.id!]);
    expect(fetched[0]!.data).toContain('DTSTART:20261201T090000Z');

    emulator.asUser.cancelInstance('primary', series.id!, '2026-12-08T09:00:00Z');
    emulator.asUser.patch(
      'primary',
      dentist.id!,
      timed('2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z'),
    );
    const delta = await provider.list(credentials, calendar, full.cursor);
    expect(delta).toMatchObject({
      kind: 'delta',
      items: [{ href: dentist.id }],
      removed: [`${series.id}_20261208T090000Z`],
    });
    const moved = await provider.fetch(credentials, calendar, [dentist.id!]);
    expect(moved[0]!.data).toContain('DTSTART:20261201T110000Z');
  });

  it('answers an expired sync token with a full listing', async () => {
    emulator.asUser.insert('primary', timed('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z'));
    const first = await provider.list(credentials, calendar, null);
    emulator.expireSyncTokens(emulator.account);
    const again = await provider.list(credentials, calendar, first.cursor);
    expect(again.kind).toBe('full');
    expect(again.items).toHaveLength(1);
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 410, 200]);
  });

  it('turns quota errors into rate_limited with the wait Google asks for', async () => {
    emulator.failNext(1, 403, { reason: 'userRateLimitExceeded' });
    emulator.failNext(1, 429, { retryAfter: 7 });
    expect((await failure(provider.list(credentials, calendar, null))).kind).toBe('rate_limited');
    expect(await failure(provider.list(credentials, calendar, null))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7_000,
    });
    emulator.failNext(1, 500);
    expect((await failure(provider.list(credentials, calendar, null))).kind).toBe('transient');
  });

  it('writes a booking once under its derived id, updates with If-Match and removes it', async () => {
    const uid = 'booking-1@bookings.careservice';
    const write = { href: null, uid, data: booking(uid, '20261203T090000Z'), ifMatch: null };
    const created = await provider.write(credentials, calendar, write);
    expect((await failure(provider.write(credentials, calendar, write))).kind).toBe(
      'precondition_failed',
    );
    const overwritten = await provider.write(credentials, calendar, { ...write, ifMatch: '*' });
    expect(overwritten.href).toBe(created.href);
    const stored = emulator.storedEvents(emulator.account);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.extendedProperties?.private).toEqual({ careserviceUid: uid });

    const moved = { ...write, href: created.href, data: booking(uid, '20261203T100000Z') };
    expect(
      (await failure(provider.write(credentials, calendar, { ...moved, ifMatch: created.etag })))
        .kind,
    ).toBe('precondition_failed');
    const updated = await provider.write(credentials, calendar, {
      ...moved,
      ifMatch: overwritten.etag,
    });
    expect(emulator.storedEvents(emulator.account)[0]!.start?.dateTime).toBe(
      '2026-12-03T10:00:00.000Z',
    );

    await provider.remove(credentials, calendar, created.href, updated.etag);
    await provider.remove(credentials, calendar, created.href, null);
    expect(emulator.storedEvents(emulator.account)[0]!.status).toBe('cancelled');
  });

  it('refuses a revoked token as auth_revoked', async () => {
    emulator.revokeConsent();
    expect((await failure(provider.list(credentials, calendar, null))).kind).toBe('auth_revoked');
  });
});

describe('GoogleTokens', () => {
  const consented = async () => {
    const tokens = new GoogleTokens(config);
    const url = new URL(config.authUrl);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      scope: 'https://www.googleapis.com/auth/calendar',
    }).toString();
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
    // Without a challenge the emulator takes any verifier, as Google does.
    return tokens.exchange(back.searchParams.get('code')!, 'v'.repeat(43));
  };

  it('refreshes a token close to expiry and keeps it sealed; a fresh one is used as is', async () => {
    const store = connectionStore(ctx);
    const tokens = new FreshCredentials(store, [new GoogleTokens(config)], systemClock);
    const granted = await consented();
    const connectionId = `conn-${++n}`;
    await insertConnection(ctx, store, connectionId, granted);
    const now = Date.now();
    expect(
      await tokens.fresh(connectionId, { ...granted, expiresAt: now + 3_600_000 }, now),
    ).toEqual({
      ...granted,
      expiresAt: now + 3_600_000,
    });
    const refreshed = await tokens.fresh(
      connectionId,
      { ...granted, expiresAt: now + 60_000 },
      now,
    );
    expect(refreshed).toMatchObject({ provider: 'google', refreshToken: granted.refreshToken });
    expect((refreshed as GoogleCredentials).accessToken).not.toBe(granted.accessToken);
    expect(await store.credentials(connectionId)).toEqual(refreshed);
    expect(await tokens.of(connectionId)).toEqual(refreshed);
    await provider.list(refreshed, calendar, null);

    emulator.revokeConsent();
    expect(
      (await failure(tokens.fresh(connectionId, { ...granted, expiresAt: now }, now))).kind,
    ).toBe('auth_revoked');
  });
});
