import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
} from '@azure/msal-node';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type GraphCalendarEmulator,
  type GraphEvent,
  type GraphEventInput,
  startGraphCalendarEmulator,
} from '../../src/emulators';
import { trustingHttps } from './trusting-https';
import { startWebhookReceiver } from './webhook-receiver';

let clock = Date.parse('2026-03-01T08:00:00Z');
let emulator: GraphCalendarEmulator;
let https: ReturnType<typeof trustingHttps>;
let token: string;

beforeEach(async () => {
  clock = Date.parse('2026-03-01T08:00:00Z');
  emulator = await startGraphCalendarEmulator({ now: () => clock });
  https = trustingHttps(emulator.ca);
  token = emulator.issueAccessToken();
});
afterEach(() => emulator.stop());

const graph = <T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) =>
  https.json<T>(method, path.startsWith('https://') ? path : `${emulator.graphUrl}${path}`, {
    token,
    ...options,
  });

type DeltaPage = { value: GraphEvent[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** One delta round, page by page, as an adapter must walk it. */
async function round(first: string, headers: Record<string, string> = {}) {
  const pages: DeltaPage[] = [];
  let link: string | undefined = first;
  while (link) {
    const { status, body }: { status: number; body: DeltaPage } = await graph<DeltaPage>(
      'GET',
      link,
      { headers },
    );
    expect(status).toBe(200);
    pages.push(body);
    link = body['@odata.nextLink'];
  }
  return {
    pages,
    items: pages.flatMap((p) => p.value),
    deltaLink: pages.at(-1)!['@odata.deltaLink']!,
  };
}

const window =
  '/me/calendarView/delta?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-05-01T00:00:00Z';
const zone = 'W. Europe Standard Time';
const at = (day: string, hour: string, extra: GraphEventInput = {}): GraphEventInput => ({
  subject: `${day} ${hour}`,
  start: { dateTime: `${day}T${hour}:00:00`, timeZone: zone },
  end: { dateTime: `${day}T${hour}:45:00`, timeZone: zone },
  ...extra,
});

function msal(options: { authority?: string } = {}) {
  const {
    clientId,
    clientSecret,
    authority,
    knownAuthorities,
    authorityMetadata,
    cloudDiscoveryMetadata,
  } = emulator.msalAuth;
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret,
      authority: options.authority ?? authority,
      knownAuthorities,
      authorityMetadata,
      cloudDiscoveryMetadata,
    },
    system: { networkClient: https.networkClient },
  });
}

describe('Graph emulator: sign-in through MSAL', () => {
  it('completes the auth code flow with PKCE, refreshes, and needs interaction once consent is revoked', async () => {
    const app = msal();
    const redirectUri = 'http://127.0.0.1:1/v1/oauth/microsoft/callback';
    const scopes = ['Calendars.ReadWrite', 'offline_access'];
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authorizeUrl = await app.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: 'signed-state',
    });
    const consent = await https.send('GET', authorizeUrl);
    const back = new URL(consent.headers.location!);
    expect(back.searchParams.get('state')).toBe('signed-state');

    await expect(
      app.acquireTokenByCode({
        code: back.searchParams.get('code')!,
        scopes,
        redirectUri,
        codeVerifier: 'wrong',
      }),
    ).rejects.toMatchObject({ errorCode: 'invalid_grant' });
    const again = new URL((await https.send('GET', authorizeUrl)).headers.location!);
    const result = await app.acquireTokenByCode({
      code: again.searchParams.get('code')!,
      scopes,
      redirectUri,
      codeVerifier: verifier,
    });
    expect(result.account?.username).toBe(emulator.user.address);
    const calendars = await https.json<{ value: { isDefaultCalendar: boolean }[] }>(
      'GET',
      `${emulator.graphUrl}/me/calendars`,
      {
        token: result.accessToken,
      },
    );
    expect(calendars.body.value.map((c) => c.isDefaultCalendar)).toEqual([true]);

    const refreshed = await app.acquireTokenSilent({
      account: result.account!,
      scopes,
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    emulator.revokeConsent();
    const refused = await app
      .acquireTokenSilent({ account: result.account!, scopes, forceRefresh: true })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InteractionRequiredAuthError);
    expect(refused).toMatchObject({ errorCode: 'invalid_grant' });
    const stale = await https.json('GET', `${emulator.graphUrl}/me/calendars`, {
      token: refreshed.accessToken,
    });
    expect(stale.status).toBe(401);
  });

  it('is refused by MSAL over plain HTTP, which is why it serves HTTPS', async () => {
    const insecure = emulator.msalAuth.authority.replace('https://', 'http://');
    await expect(
      Promise.resolve().then(() =>
        msal({ authority: insecure }).acquireTokenByClientCredential({
          scopes: ['https://graph.microsoft.com/.default'],
        }),
      ),
    ).rejects.toMatchObject({ errorCode: 'authority_uri_insecure' });
    const app = await msal().acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(app?.accessToken).toBeTruthy();
  });
});

describe('Graph emulator: calendarView delta', () => {
  it('pages with nextLink (the first page empty), ends with a deltaLink, then returns only changes and @removed', async () => {
    const [a, b] = [
      emulator.asUser.create(null, at('2026-03-02', '09')),
      emulator.asUser.create(null, at('2026-03-03', '09')),
    ];
    emulator.asUser.create(null, at('2026-03-04', '09'));
    const first = await round(`${emulator.graphUrl}${window}`, { Prefer: 'odata.maxpagesize=2' });
    expect(first.pages.map((p) => p.value.length)).toEqual([0, 2, 1]);
    expect(
      first.pages.slice(0, -1).every((p) => p['@odata.nextLink'] && !p['@odata.deltaLink']),
    ).toBe(true);
    expect(first.deltaLink).toContain('$deltatoken=');

    emulator.asUser.update(a.id, { subject: 'renamed' });
    emulator.asUser.delete(b.id);
    const c = emulator.asUser.create(null, at('2026-03-05', '09'));
    const second = await round(first.deltaLink);
    expect(second.items.map((e) => [e.id, e.subject ?? null, e['@removed'] ?? null])).toEqual([
      [a.id, 'renamed', null],
      [c.id, '2026-03-05 09', null],
      [b.id, null, { reason: 'deleted' }],
    ]);
    const quiet = await round(second.deltaLink);
    expect(quiet.items).toEqual([]);
  });

  it('answers 410 syncStateNotFound for an expired delta link and 400 without a window', async () => {
    emulator.asUser.create(null, at('2026-03-02', '09'));
    const { deltaLink } = await round(`${emulator.graphUrl}${window}`);
    emulator.expireDeltaTokens(null);
    const gone = await graph<{ error: { code: string } }>('GET', deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('syncStateNotFound');
    expect((await round(`${emulator.graphUrl}${window}`)).items).toHaveLength(1);
    expect((await graph('GET', '/me/calendarView/delta')).status).toBe(400);
  });

  it('shows occurrences and exceptions of a series, not its master, on Windows zones across DST', async () => {
    const master = emulator.asUser.create(null, {
      ...at('2026-03-23', '09'),
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: {
          type: 'numbered',
          startDate: '2026-03-23',
          numberOfOccurrences: 3,
          recurrenceTimeZone: zone,
        },
      },
    });
    const pacific = { Prefer: 'outlook.timezone="Pacific Standard Time"' };
    const first = await round(`${emulator.graphUrl}${window}`, pacific);
    expect(
      first.items.map((e) => [
        e.type,
        e.seriesMasterId,
        (e.start as { dateTime: string }).dateTime,
      ]),
    ).toEqual([
      ['occurrence', master.id, '2026-03-23T01:00:00.0000000'],
      ['occurrence', master.id, '2026-03-30T00:00:00.0000000'],
      ['occurrence', master.id, '2026-04-06T00:00:00.0000000'],
    ]);
    expect(
      first.items.every(
        (e) => (e.start as { timeZone: string }).timeZone === 'Pacific Standard Time',
      ),
    ).toBe(true);

    const [, second, third] = first.items;
    emulator.asUser.update(second!.id, {
      start: { dateTime: '2026-03-30T14:00:00', timeZone: zone },
      end: { dateTime: '2026-03-30T15:00:00', timeZone: zone },
    });
    emulator.asUser.delete(third!.id);
    const next = await round(first.deltaLink);
    expect(next.items.map((e) => [e.id, e.type ?? null, e['@removed'] ?? null])).toEqual([
      [second!.id, 'exception', null],
      [third!.id, null, { reason: 'deleted' }],
    ]);
    expect(next.items[0]).toMatchObject({
      start: { dateTime: '2026-03-30T12:00:00.0000000', timeZone: 'UTC' },
      originalStart: '2026-03-30T07:00:00.000Z',
    });
  });

  it('keeps all-day events floating and reports showAs', async () => {
    emulator.asUser.create(null, {
      subject: 'holiday',
      isAllDay: true,
      showAs: 'oof',
      start: { dateTime: '2026-03-02T00:00:00', timeZone: zone },
      end: { dateTime: '2026-03-04T00:00:00', timeZone: zone },
    });
    emulator.asUser.create(null, at('2026-03-02', '12', { showAs: 'free' }));
    const { items } = await round(`${emulator.graphUrl}${window}`, {
      Prefer: `outlook.timezone="${zone}"`,
    });
    expect(
      items.map((e) => [e.subject, e.isAllDay, e.showAs, (e.end as { dateTime: string }).dateTime]),
    ).toEqual([
      ['holiday', true, 'oof', '2026-03-04T00:00:00.0000000'],
      ['2026-03-02 12', false, 'free', '2026-03-02T12:45:00.0000000'],
    ]);
    const refused = await graph('POST', '/me/events', {
      body: {
        isAllDay: true,
        start: { dateTime: '2026-03-02T09:00:00', timeZone: zone },
        end: { dateTime: '2026-03-03T00:00:00', timeZone: zone },
      },
    });
    expect(refused.status).toBe(400);
  });
});

describe('Graph emulator: writes', () => {
  it('dedupes creates by transactionId and enforces If-Match on update and delete', async () => {
    const body = at('2026-03-02', '09', {
      transactionId: 'booking-1',
      categories: ['CareService'],
    });
    const created = await graph<GraphEvent>('POST', '/me/events', { body });
    const retried = await graph<GraphEvent>('POST', '/me/events', { body });
    expect(created.status).toBe(201);
    expect(retried.body.id).toBe(created.body.id);

    const etag = created.body['@odata.etag'];
    const moved = await graph<GraphEvent>('PATCH', `/me/events/${created.body.id}`, {
      body: {
        start: { dateTime: '2026-03-02T10:00:00', timeZone: zone },
        end: { dateTime: '2026-03-02T11:00:00', timeZone: zone },
      },
      headers: { 'If-Match': etag },
    });
    expect(moved.status).toBe(200);
    expect(moved.body['@odata.etag']).not.toBe(etag);
    const stale = await graph<{ error: { code: string } }>(
      'PATCH',
      `/me/events/${created.body.id}`,
      {
        body: { subject: 'x' },
        headers: { 'If-Match': etag },
      },
    );
    expect([stale.status, stale.body.error.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    expect(
      (await graph('DELETE', `/me/events/${created.body.id}`, { headers: { 'If-Match': etag } }))
        .status,
    ).toBe(412);
    expect(
      (
        await graph('DELETE', `/me/events/${created.body.id}`, {
          headers: { 'If-Match': moved.body['@odata.etag'] },
        })
      ).status,
    ).toBe(204);
    expect((await graph('GET', `/me/events/${created.body.id}`)).status).toBe(404);
  });
});

describe('Graph emulator: throttling', () => {
  it('answers an injected 429 with Retry-After, and a fifth concurrent request with 429', async () => {
    emulator.failNext(1, 429, { retryAfter: 3 });
    const throttled = await graph<{ error: { code: string } }>('GET', '/me/calendars');
    expect([throttled.status, throttled.headers['retry-after'], throttled.body.error.code]).toEqual(
      [429, '3', 'TooManyRequests'],
    );

    emulator.delayNext(4, 1500);
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () => graph('GET', '/me/calendars').then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('Graph emulator: subscriptions', () => {
  const echo = (hook: { url: URL }) => ({
    status: 200,
    headers: { 'content-type': 'text/plain' },
    body: hook.url.searchParams.get('validationToken') ?? '',
  });
  const expiry = (minutes: number) => new Date(clock + minutes * 60_000).toISOString();

  it('validates the endpoint, notifies with clientState, renews, sends lifecycle events and stops on expiry', async () => {
    const hook = await startWebhookReceiver((h) =>
      h.url.searchParams.has('validationToken') ? echo(h) : { status: 202 },
    );
    try {
      const created = await graph<{ id: string; expirationDateTime: string }>(
        'POST',
        '/subscriptions',
        {
          body: {
            changeType: 'created,updated,deleted',
            notificationUrl: hook.url,
            lifecycleNotificationUrl: hook.url,
            resource: '/me/events',
            expirationDateTime: expiry(60),
            clientState: 'client-secret-state',
          },
        },
      );
      expect(created.status).toBe(201);
      expect(hook.received.filter((h) => h.url.searchParams.has('validationToken'))).toHaveLength(
        2,
      );

      const event = emulator.asUser.create(null, at('2026-03-02', '09'));
      await emulator.notificationsSettled();
      emulator.dropNotifications(1);
      emulator.asUser.update(event.id, { subject: 'lost' });
      emulator.asUser.delete(event.id);
      await emulator.notificationsSettled();
      emulator.lifecycle(created.body.id, 'missed');
      await emulator.notificationsSettled();
      const notes = hook.received
        .filter((h) => !h.url.searchParams.has('validationToken'))
        .map((h) => (JSON.parse(h.body) as { value: Record<string, unknown>[] }).value[0]!);
      expect(notes.map((n) => [n.changeType ?? n.lifecycleEvent, n.clientState])).toEqual([
        ['created', 'client-secret-state'],
        ['deleted', 'client-secret-state'],
        ['missed', 'client-secret-state'],
      ]);
      expect(emulator.deliveries.map((d) => d.dropped)).toEqual([false, true, false, false]);

      const renewed = await graph<{ expirationDateTime: string }>(
        'PATCH',
        `/subscriptions/${created.body.id}`,
        {
          body: { expirationDateTime: expiry(120) },
        },
      );
      expect(renewed.body.expirationDateTime).toBe(expiry(120));
      clock += 121 * 60_000;
      token = emulator.issueAccessToken();
      emulator.asUser.create(null, at('2026-03-03', '09'));
      await emulator.notificationsSettled();
      expect(emulator.deliveries).toHaveLength(4);
      const late = await graph('PATCH', `/subscriptions/${created.body.id}`, {
        body: { expirationDateTime: expiry(60) },
      });
      expect(late.status).toBe(404);
    } finally {
      await hook.close();
    }
  });

  it('refuses endpoints that do not echo the token as text/plain, and expirations beyond 10,080 minutes', async () => {
    const hook = await startWebhookReceiver(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }));
    try {
      const subscribe = (expirationDateTime: string) =>
        graph<{ error: { code: string } }>('POST', '/subscriptions', {
          body: {
            changeType: 'created',
            notificationUrl: hook.url,
            resource: '/me/events',
            expirationDateTime,
          },
        });
      const refused = await subscribe(expiry(60));
      expect([refused.status, refused.body.error.code]).toEqual([400, 'ValidationError']);
      hook.answerWith(echo);
      expect((await subscribe(expiry(10_081))).status).toBe(400);
      expect((await subscribe(expiry(10_080))).status).toBe(201);
    } finally {
      await hook.close();
    }
  });

  it('drops a subscription after subscriptionRemoved', async () => {
    const hook = await startWebhookReceiver(echo);
    try {
      const created = await graph<{ id: string }>('POST', '/subscriptions', {
        body: {
          changeType: 'updated',
          notificationUrl: hook.url,
          lifecycleNotificationUrl: hook.url,
          resource: `/me/calendars/${(await graph<{ id: string }>('GET', '/me/calendar')).body.id}/events`,
          expirationDateTime: expiry(60),
        },
      });
      emulator.lifecycle(created.body.id, 'subscriptionRemoved');
      await emulator.notificationsSettled();
      expect(JSON.parse(hook.received.at(-1)!.body)).toMatchObject({
        value: [{ lifecycleEvent: 'subscriptionRemoved' }],
      });
      expect((await graph('GET', `/subscriptions/${created.body.id}`)).status).toBe(404);
    } finally {
      await hook.close();
    }
  });
});

describe('Graph emulator: access tokens', () => {
  it('answers 401 InvalidAuthenticationToken once the token expires', async () => {
    emulator.expireAccessTokens();
    const expired = await graph<{ error: { code: string } }>('GET', '/me/calendars');
    expect([expired.status, expired.body.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
  });
});
