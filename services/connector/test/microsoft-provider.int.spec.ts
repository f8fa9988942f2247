import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type GraphCalendarEmulator,
  type GraphEventInput,
  startGraphCalendarEmulator,
  type TestContext,
} from '@cs/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { systemClock } from '@cs/eventing';
import type { CalendarRef, MicrosoftCredentials } from '../src/domain/provider/calendar-provider';
import { ProviderError } from '../src/domain/provider/provider-error';
import { FreshCredentials } from '../src/infrastructure/oauth/fresh-credentials';
import { MicrosoftTokens } from '../src/infrastructure/oauth/microsoft-tokens';
import { UID_PROPERTY_ID } from '../src/infrastructure/providers/microsoft/graph-event-ical';
import type { MicrosoftClientConfig } from '../src/infrastructure/providers/microsoft/microsoft-client';
import { microsoftHttps } from '../src/infrastructure/providers/microsoft/microsoft-https';
import { MicrosoftProvider } from '../src/infrastructure/providers/microsoft/microsoft-provider';
import { ProviderItemStore } from '../src/infrastructure/providers/provider-item-store';
import { connectionStore, connectorTables, insertConnection } from './support/connector-db';
import { microsoftConfig } from './support/emulator-config';
import { bookingIcs as booking } from './support/ical';
import { failure } from './support/provider-failure';

let ctx: TestContext;
let emulator: GraphCalendarEmulator;
let config: MicrosoftClientConfig;
let provider: MicrosoftProvider;
let credentials: MicrosoftCredentials;
let calendar: CalendarRef;
let n = 0;

const zone = 'W. Europe Standard Time';
const at = (day: string, from: string, to: string, extra: GraphEventInput = {}) => ({
  subject: `${day} ${from}`,
  start: { dateTime: `${day}T${from}:00`, timeZone: zone },
  end: { dateTime: `${day}T${to}:00`, timeZone: zone },
  ...extra,
});
const deltaCalls = () => emulator.calls.filter((c) => c.path.endsWith('/calendarView/delta'));

beforeAll(async () => {
  ctx = await connectorTables();
});
afterAll(() => ctx.cleanup());
beforeEach(async () => {
  emulator = await startGraphCalendarEmulator();
  config = microsoftConfig(emulator);
  provider = new MicrosoftProvider(config, new ProviderItemStore(ctx.pool), systemClock, {
    pageSize: 2,
  });
  credentials = {
    provider: 'microsoft',
    homeAccountId: emulator.user.id,
    tokenCache: null,
    accessToken: emulator.issueAccessToken(),
    expiresAt: null,
  };
  calendar = { calendarId: `cal-${++n}`, url: 'AAMkCalendarDefault', supportsDelta: true };
});
afterEach(() => emulator.stop());

describe('MicrosoftProvider against the Graph emulator', () => {
  it('discovers the calendars with their colour and whether they can be written, default first', async () => {
    emulator.addCalendar({ id: 'AAMkTeam', name: 'Team', canEdit: false, hexColor: '#a4c2f4' });
    expect(await provider.discover(credentials)).toEqual([
      {
        url: 'AAMkCalendarDefault',
        name: 'Calendar',
        color: null,
        writable: true,
        supportsDelta: true,
      },
      { url: 'AAMkTeam', name: 'Team', color: '#a4c2f4', writable: false, supportsDelta: true },
    ]);
  });

  it('walks every delta page (empty ones too) to the deltaLink, then lists only changes and @removed', async () => {
    const [a, b] = [
      emulator.asUser.create(null, at('2026-12-01', '09:00', '10:00')),
      emulator.asUser.create(null, at('2026-12-02', '09:00', '10:00')),
    ];
    emulator.asUser.create(null, at('2026-12-03', '09:00', '10:00'));
    const full = await provider.list(credentials, calendar, null);
    expect(full.kind).toBe('full');
    expect(full.items.map((i) => i.href).sort()).toHaveLength(3);
    // An empty first page with a next link, then pages of two and one.
    expect(deltaCalls()).toHaveLength(3);
    expect(full.cursor).toContain('deltatoken');
    const [first] = await provider.fetch(credentials, calendar, [a.id]);
    expect(first!.data).toContain('DTSTART:20261201T080000Z');

    emulator.asUser.update(a.id, {
      start: { dateTime: '2026-12-01T11:00:00', timeZone: zone },
      end: { dateTime: '2026-12-01T12:00:00', timeZone: zone },
    });
    emulator.asUser.delete(b.id);
    const c = emulator.asUser.create(null, at('2026-12-04', '09:00', '10:00'));
    const delta = await provider.list(credentials, calendar, full.cursor);
    expect(delta.kind).toBe('delta');
    expect(delta.items.map((i) => i.href).sort()).toEqual([a.id, c.id].sort());
    expect(delta.removed).toEqual([b.id]);
    const [moved] = await provider.fetch(credentials, calendar, [a.id]);
    expect(moved!.data).toContain('DTSTART:20261201T100000Z');
    const quiet = await provider.list(credentials, calendar, delta.cursor);
    expect([quiet.items, quiet.removed]).toEqual([[], []]);
  });

  it('lists each occurrence of a series on its Windows zone across DST; an exception changes one, a cancelled one is removed', async () => {
    emulator.asUser.create(null, {
      ...at('2027-03-22', '09:00', '10:00'),
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: { type: 'numbered', startDate: '2027-03-22', numberOfOccurrences: 3 },
      },
    });
    const full = await provider.list(credentials, calendar, null);
    const hrefs = full.items.map((i) => i.href);
    const occurrences = await provider.fetch(credentials, calendar, hrefs);
    expect(occurrences.map((o) => /DTSTART:(\S+)/.exec(o.data)![1]).sort()).toEqual([
      '20270322T080000Z',
      '20270329T070000Z',
      '20270405T070000Z',
    ]);
    const [, second, third] = emulator.asUser.view(
      null,
      '2027-03-01T00:00:00Z',
      '2027-05-01T00:00:00Z',
    );
    emulator.asUser.update(second!.id, {
      start: { dateTime: '2027-03-29T14:00:00', timeZone: zone },
      end: { dateTime: '2027-03-29T15:00:00', timeZone: zone },
    });
    emulator.asUser.delete(third!.id);
    const delta = await provider.list(credentials, calendar, full.cursor);
    expect(delta.items.map((i) => i.href)).toEqual([second!.id]);
    expect(delta.removed).toEqual([third!.id]);
    const [exception] = await provider.fetch(credentials, calendar, [second!.id]);
    expect(exception!.data).toContain('DTSTART:20270329T120000Z');
  });

  it('keeps all-day events as dates with an exclusive end; free is transparent, out of office blocks', async () => {
    const holiday = emulator.asUser.create(null, {
      subject: 'holiday',
      isAllDay: true,
      showAs: 'oof',
      start: { dateTime: '2026-12-24T00:00:00', timeZone: zone },
      end: { dateTime: '2026-12-26T00:00:00', timeZone: zone },
    });
    const free = emulator.asUser.create(
      null,
      at('2026-12-02', '12:00', '13:00', { showAs: 'free' }),
    );
    const full = await provider.list(credentials, calendar, null);
    const items = await provider.fetch(
      credentials,
      calendar,
      full.items.map((i) => i.href),
    );
    const ics = (id: string) => items.find((i) => i.href === id)!.data;
    expect(ics(holiday.id)).toContain('DTSTART;VALUE=DATE:20261224');
    expect(ics(holiday.id)).toContain('DTEND;VALUE=DATE:20261226');
    expect(ics(holiday.id)).toContain('TRANSP:OPAQUE');
    expect(ics(free.id)).toContain('TRANSP:TRANSPARENT');
  });

  it('answers an expired delta link (410 syncStateNotFound) with a full listing', async () => {
    emulator.asUser.create(null, at('2026-12-01', '09:00', '10:00'));
    const first = await provider.list(credentials, calendar, null);
    emulator.expireDeltaTokens(null);
    emulator.asUser.create(null, at('2026-12-02', '09:00', '10:00'));
    const again = await provider.list(credentials, calendar, first.cursor);
    expect(again.kind).toBe('full');
    expect(again.items).toHaveLength(2);
    expect(deltaCalls().map((c) => c.status)).toContain(410);
  });

  it('turns throttling into rate_limited with the wait Graph asks for, and keeps to four requests per mailbox', async () => {
    emulator.failNext(1, 429, { retryAfter: 7 });
    expect(await failure(provider.list(credentials, calendar, null))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 7_000,
    });
    emulator.failNext(1, 500);
    expect((await failure(provider.list(credentials, calendar, null))).kind).toBe('transient');

    const events = Array.from({ length: 8 }, (_, i) =>
      emulator.asUser.create(null, at(`2026-12-1${i}`, '09:00', '10:00')),
    );
    // Slow answers: without the limiter the fifth request in flight would get 429.
    emulator.delayNext(8, 200);
    const before = emulator.calls.length;
    const read = await provider.fetch(
      credentials,
      calendar,
      events.map((e) => e.id),
    );
    expect(read).toHaveLength(8);
    expect(emulator.calls.slice(before).map((c) => c.status)).toEqual(Array(8).fill(200));
  });

  it('writes a booking once, marked as ours, updates and removes it only over the ETag it saw', async () => {
    const uid = 'booking-1@bookings.careservice';
    const write = { href: null, uid, data: booking(uid, '20261203T090000Z'), ifMatch: null };
    const created = await provider.write(credentials, calendar, write);
    const retried = await provider.write(credentials, calendar, write);
    expect(retried.href).toBe(created.href);
    const stored = emulator.storedEvents(null);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      transactionId: `careservice/${uid}`,
      singleValueExtendedProperties: [{ id: UID_PROPERTY_ID, value: uid }],
      start: { dateTime: '2026-12-03T09:00:00.0000000', timeZone: 'UTC' },
    });
    // The copy comes back through the delta listing under the booking's UID.
    const full = await provider.list(credentials, calendar, null);
    const [listed] = await provider.fetch(credentials, calendar, [created.href]);
    expect(full.items).toEqual([{ href: created.href, etag: created.etag }]);
    expect(listed!.data).toContain(`UID:${uid}`);
    const elsewhere = { ...calendar, calendarId: `cal-${++n}` };
    const [read] = await provider.fetch(credentials, elsewhere, [created.href]);
    expect(read!.data).toContain(`UID:${uid}`);

    const moved = { ...write, href: created.href, data: booking(uid, '20261203T100000Z') };
    const updated = await provider.write(credentials, calendar, {
      ...moved,
      ifMatch: created.etag,
    });
    expect(updated.etag).not.toBe(created.etag);
    expect(
      (await failure(provider.write(credentials, calendar, { ...moved, ifMatch: created.etag })))
        .kind,
    ).toBe('precondition_failed');
    // A create retried after the booking moved meets its first copy and writes over it.
    const again = await provider.write(credentials, calendar, {
      ...write,
      data: booking(uid, '20261203T110000Z'),
    });
    expect(again.href).toBe(created.href);
    expect(emulator.storedEvents(null)[0]!.start).toMatchObject({
      dateTime: '2026-12-03T11:00:00.0000000',
    });

    expect(
      (await failure(provider.remove(credentials, calendar, created.href, updated.etag))).kind,
    ).toBe('precondition_failed');
    await provider.remove(credentials, calendar, created.href, again.etag);
    await provider.remove(credentials, calendar, created.href, null);
    expect(emulator.storedEvents(null)).toEqual([]);
    // Restoring a copy the Pro deleted creates it again.
    const restored = await provider.write(credentials, calendar, { ...moved, ifMatch: null });
    expect(restored.href).not.toBe(created.href);
    expect(emulator.storedEvents(null)).toHaveLength(1);
  });

  it('takes a token Graph refuses (401 InvalidAuthenticationToken) as auth_revoked', async () => {
    emulator.expireAccessTokens();
    expect((await failure(provider.list(credentials, calendar, null))).kind).toBe('auth_revoked');
  });
});

describe('MicrosoftProvider subscriptions', () => {
  let hook: Server;
  let hookUrl: string;
  const received: Array<{ clientState?: string; changeType?: string }> = [];

  beforeEach(async () => {
    received.length = 0;
    hook = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://hook').searchParams.get('validationToken');
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (token !== null) {
          res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
          return;
        }
        received.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { value: [] }).value);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhooks/microsoft`;
  });
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        hook.closeAllConnections();
        hook.close(() => resolve());
      }),
  );

  it('subscribes to a calendar’s events with our clientState, renews, and stops (gone counts as stopped)', async () => {
    const target = { notificationUrl: hookUrl, token: 'client-state-secret', channelId: 'ch-1' };
    const subscription = await provider.subscribe(credentials, calendar, target);
    expect(emulator.subscriptions()).toEqual([
      expect.objectContaining({
        id: subscription.subscriptionId,
        resource: '/me/calendars/AAMkCalendarDefault/events',
        changeType: 'created,updated,deleted',
        clientState: 'client-state-secret',
        notificationUrl: hookUrl,
        lifecycleNotificationUrl: hookUrl,
      }),
    ]);
    expect(subscription.expiresAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    emulator.asUser.create(null, at('2026-12-01', '09:00', '10:00'));
    await emulator.notificationsSettled();
    expect(received).toEqual([
      expect.objectContaining({ changeType: 'created', clientState: 'client-state-secret' }),
    ]);

    const renewed = await provider.renew(credentials, calendar, subscription, target);
    expect(renewed.subscriptionId).toBe(subscription.subscriptionId);
    expect(emulator.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);

    await provider.unsubscribe(credentials, calendar, renewed);
    expect(emulator.subscriptions()).toEqual([]);
    await provider.unsubscribe(credentials, calendar, renewed);
    // One Graph no longer knows is created anew.
    const again = await provider.renew(credentials, calendar, renewed, target);
    expect(again.subscriptionId).not.toBe(subscription.subscriptionId);
    expect(emulator.subscriptions().map((s) => s.id)).toEqual([again.subscriptionId]);
  });
});

describe('MicrosoftTokens', () => {
  const https = () => microsoftHttps({ ca: emulator.ca, timeoutMs: 5_000 });

  it('signs in with PKCE, refreshes a token close to expiry into the sealed cache, and reports revoked consent', async () => {
    const store = connectionStore(ctx);
    const tokens = new MicrosoftTokens(config);
    const fresh = new FreshCredentials(store, [tokens], systemClock);
    const { verifier, challenge } = await tokens.pkce();
    const authorizeUrl = new URL(await tokens.authorizeUrl('the-state', challenge));
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'the-state',
    });
    const back = new URL((await https()('GET', authorizeUrl.href)).headers.location!);
    await expect(tokens.exchange(back.searchParams.get('code')!, 'x'.repeat(43))).rejects.toThrow(
      ProviderError,
    );
    const again = new URL((await https()('GET', authorizeUrl.href)).headers.location!);
    const granted = await tokens.exchange(again.searchParams.get('code')!, verifier);
    expect(granted).toMatchObject({ provider: 'microsoft', homeAccountId: expect.any(String) });
    const connectionId = `conn-${++n}`;
    await insertConnection(ctx, store, connectionId, granted);
    const now = Date.now();
    expect(
      await fresh.fresh(connectionId, { ...granted, expiresAt: now + 3_600_000 }, now),
    ).toEqual({ ...granted, expiresAt: now + 3_600_000 });
    const refreshed = (await fresh.fresh(
      connectionId,
      { ...granted, expiresAt: now + 60_000 },
      now,
    )) as MicrosoftCredentials;
    expect(refreshed.accessToken).not.toBe(granted.accessToken);
    expect(refreshed.tokenCache).not.toBe(granted.tokenCache);
    expect(await store.credentials(connectionId)).toEqual(refreshed);
    const { rows } = await ctx.pool.query<{ sealed_credentials: string }>(
      'SELECT sealed_credentials FROM connections WHERE connection_id = $1',
      [connectionId],
    );
    expect(rows[0]!.sealed_credentials).not.toContain(refreshed.accessToken!);
    expect((await provider.discover(refreshed)).length).toBe(1);

    emulator.revokeConsent();
    expect(
      (await failure(fresh.fresh(connectionId, { ...refreshed, expiresAt: now }, now))).kind,
    ).toBe('auth_revoked');
  });
});
