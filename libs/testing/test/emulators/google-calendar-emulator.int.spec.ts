import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type GoogleCalendarEmulator, startGoogleCalendarEmulator } from '../../src/emulators';
import { startWebhookReceiver } from './webhook-receiver';

const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';

let emulator: GoogleCalendarEmulator;
let api: calendar_v3.Calendar;

beforeEach(async () => {
  emulator = await startGoogleCalendarEmulator();
  api = clientFor(emulator.issueAccessToken(), { retry: false });
});
afterEach(() => emulator.stop());

function clientFor(accessToken: string, extra: Partial<calendar_v3.Options> = {}) {
  const oauth = new auth.OAuth2({ ...emulator.client, endpoints: emulator.oauthEndpoints });
  oauth.setCredentials({ access_token: accessToken });
  return calendar({ version: 'v3', rootUrl: emulator.rootUrl, auth: oauth, ...extra });
}

/** What the official client surfaces of a failed call. */
async function failure(call: Promise<unknown>) {
  const error = (await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  )) as {
    status?: number;
    response?: { data?: { error?: { errors?: { reason?: string }[] } }; headers?: Headers };
  };
  return {
    status: error.status,
    reason: error.response?.data?.error?.errors?.[0]?.reason,
    retryAfter: error.response?.headers?.get('retry-after') ?? null,
  };
}

const timed = (start: string, end: string, extra: calendar_v3.Schema$Event = {}) => ({
  start: { dateTime: start },
  end: { dateTime: end },
  ...extra,
});

async function listAll(params: calendar_v3.Params$Resource$Events$List) {
  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await api.events.list({ ...params, pageToken });
    pages.push(data);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return { pages, items: pages.flatMap((p) => p.items ?? []) };
}

describe('Google Calendar emulator: OAuth', () => {
  it('exchanges a PKCE code for tokens, refreshes, and answers invalid_grant after revocation', async () => {
    const redirectUri = 'http://127.0.0.1:1/v1/oauth/google/callback';
    const oauth = new auth.OAuth2({
      ...emulator.client,
      redirectUri,
      endpoints: emulator.oauthEndpoints,
    });
    const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
    const authorizeUrl = oauth.generateAuthUrl({
      access_type: 'offline',
      scope: [CALENDAR_SCOPE],
      state: 'signed-state',
      code_challenge: codeChallenge!,
      code_challenge_method: 'S256' as never,
    });
    const consent = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('signed-state');
    const code = back.searchParams.get('code')!;

    expect((await failure(oauth.getToken({ code, codeVerifier: 'not-the-verifier' }))).status).toBe(
      400,
    );
    const second = new URL(
      (await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location')!,
    ).searchParams.get('code')!;
    const { tokens } = await oauth.getToken({ code: second, codeVerifier });
    expect(tokens.refresh_token).toBeUndefined();

    const withConsent = oauth.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: [CALENDAR_SCOPE],
      code_challenge: codeChallenge!,
      code_challenge_method: 'S256' as never,
    });
    const third = new URL(
      (await fetch(withConsent, { redirect: 'manual' })).headers.get('location')!,
    ).searchParams.get('code')!;
    const granted = (await oauth.getToken({ code: third, codeVerifier })).tokens;
    expect(granted.refresh_token).toMatch(/^1\/\//);
    expect((await failure(oauth.getToken({ code: third, codeVerifier }))).status).toBe(400);

    oauth.setCredentials({ refresh_token: granted.refresh_token! });
    const refreshed = await oauth.refreshAccessToken();
    const list = await clientFor(refreshed.credentials.access_token!).calendarList.list();
    expect(list.data.items?.map((c) => c.id)).toEqual([emulator.account]);

    emulator.revokeConsent();
    const revoked = (await oauth
      .refreshAccessToken()
      .catch((e: { response?: { data?: unknown } }) => e.response?.data)) as {
      error?: string;
    };
    expect(revoked.error).toBe('invalid_grant');
    expect(
      (
        await failure(
          clientFor(refreshed.credentials.access_token!, { retry: false }).calendarList.list(),
        )
      ).status,
    ).toBe(401);
  });

  it('refuses writes with a read-only scope', async () => {
    const reader = clientFor(emulator.issueAccessToken([`${CALENDAR_SCOPE}.readonly`]), {
      retry: false,
    });
    await reader.events.list({ calendarId: 'primary' });
    const refused = await failure(
      reader.events.insert({
        calendarId: 'primary',
        requestBody: timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'),
      }),
    );
    expect(refused).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
  });
});

describe('Google Calendar emulator: incremental sync', () => {
  it('pages with nextPageToken, gives the sync token only on the last page, then only changes', async () => {
    for (let i = 0; i < 5; i++)
      emulator.asUser.insert(
        'primary',
        timed(`2026-03-0${i + 1}T09:00:00Z`, `2026-03-0${i + 1}T10:00:00Z`),
      );
    const full = await listAll({ calendarId: 'primary', maxResults: 2 });
    expect(full.pages.map((p) => p.items?.length)).toEqual([2, 2, 1]);
    expect(full.pages.slice(0, -1).every((p) => !p.nextSyncToken && p.nextPageToken)).toBe(true);
    const syncToken = full.pages.at(-1)!.nextSyncToken!;
    expect(syncToken).toBeTruthy();

    const [first, second] = full.items;
    emulator.asUser.patch('primary', first!.id!, { summary: 'moved' });
    emulator.asUser.delete('primary', second!.id!);
    const delta = await listAll({ calendarId: 'primary', syncToken });
    expect(delta.items.map((e) => [e.id, e.status])).toEqual([
      [first!.id, 'confirmed'],
      [second!.id, 'cancelled'],
    ]);
    expect(delta.items[1]).not.toHaveProperty('start');
    const quiet = await listAll({
      calendarId: 'primary',
      syncToken: delta.pages.at(-1)!.nextSyncToken!,
    });
    expect(quiet.items).toEqual([]);
  });

  it('refuses a page token with a different query and filters beside a sync token', async () => {
    for (let i = 0; i < 3; i++)
      emulator.asUser.insert(
        'primary',
        timed(`2026-03-0${i + 1}T09:00:00Z`, `2026-03-0${i + 1}T10:00:00Z`),
      );
    const { data } = await api.events.list({ calendarId: 'primary', maxResults: 1 });
    const mismatch = await failure(
      api.events.list({
        calendarId: 'primary',
        maxResults: 1,
        pageToken: data.nextPageToken!,
        showDeleted: true,
      }),
    );
    expect(mismatch.status).toBe(400);
    const all = await listAll({ calendarId: 'primary' });
    const mixed = await failure(
      api.events.list({
        calendarId: 'primary',
        syncToken: all.pages[0]!.nextSyncToken!,
        timeMin: '2026-01-01T00:00:00Z',
      }),
    );
    expect(mixed.status).toBe(400);
  });

  it('answers 410 fullSyncRequired once sync tokens expire', async () => {
    emulator.asUser.insert('primary', timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'));
    const { data } = await api.events.list({ calendarId: 'primary' });
    emulator.expireSyncTokens('primary');
    const gone = await failure(
      api.events.list({ calendarId: 'primary', syncToken: data.nextSyncToken! }),
    );
    expect(gone).toMatchObject({ status: 410, reason: 'fullSyncRequired' });
    expect((await api.events.list({ calendarId: 'primary' })).data.items).toHaveLength(1);
  });
});

describe('Google Calendar emulator: recurring events', () => {
  const weekly = {
    summary: 'rounds',
    start: { dateTime: '2026-03-16T09:00:00+01:00', timeZone: 'Europe/Paris' },
    end: { dateTime: '2026-03-16T10:00:00+01:00', timeZone: 'Europe/Paris' },
    recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
  };

  it('expands instances on the wall clock across DST and hides a cancelled one unless showDeleted', async () => {
    const master = emulator.asUser.insert('primary', weekly);
    emulator.asUser.cancelInstance('primary', master.id!, '2026-03-23T09:00:00+01:00');
    const window = { timeMin: '2026-03-01T00:00:00Z', timeMax: '2026-05-01T00:00:00Z' };
    const { data } = await api.events.list({
      calendarId: 'primary',
      singleEvents: true,
      orderBy: 'startTime',
      ...window,
    });
    expect(data.items?.map((i) => i.start?.dateTime)).toEqual([
      '2026-03-16T09:00:00+01:00',
      '2026-03-30T09:00:00+02:00',
      '2026-04-06T09:00:00+02:00',
    ]);
    expect(data.items?.every((i) => i.recurringEventId === master.id)).toBe(true);

    const withDeleted = await api.events.list({
      calendarId: 'primary',
      singleEvents: true,
      showDeleted: true,
      ...window,
    });
    const cancelled = withDeleted.data.items?.find((i) => i.status === 'cancelled');
    expect(cancelled).toMatchObject({
      id: `${master.id}_20260323T080000Z`,
      recurringEventId: master.id,
      originalStartTime: { dateTime: '2026-03-23T09:00:00+01:00' },
    });
    const unexpanded = await api.events.list({ calendarId: 'primary' });
    expect(unexpanded.data.items?.map((e) => e.id)).toEqual([master.id]);
  });

  it('reports a cancelled or moved instance in the next incremental sync', async () => {
    const master = emulator.asUser.insert('primary', weekly);
    const { data } = await api.events.list({ calendarId: 'primary' });
    const instances = await api.events.instances({ calendarId: 'primary', eventId: master.id! });
    expect(instances.data.items).toHaveLength(4);
    emulator.asUser.patch('primary', instances.data.items![1]!.id!, {
      start: { dateTime: '2026-03-23T14:00:00+01:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-03-23T15:00:00+01:00', timeZone: 'Europe/Paris' },
    });
    emulator.asUser.cancelInstance('primary', master.id!, '2026-04-06T09:00:00+02:00');
    const delta = await api.events.list({ calendarId: 'primary', syncToken: data.nextSyncToken! });
    expect(delta.data.items?.map((e) => [e.id, e.status, e.start?.dateTime])).toEqual([
      [`${master.id}_20260323T080000Z`, 'confirmed', '2026-03-23T14:00:00+01:00'],
      [`${master.id}_20260406T070000Z`, 'cancelled', undefined],
    ]);
    expect(delta.data.items?.[1]?.originalStartTime?.dateTime).toBe('2026-04-06T09:00:00+02:00');
  });
});

describe('Google Calendar emulator: expanded incremental sync', () => {
  it('with singleEvents, answers a series edit with its instances and a cancellation with one cancelled instance', async () => {
    const master = emulator.asUser.insert('primary', {
      start: { dateTime: '2026-03-02T09:00:00Z', timeZone: 'UTC' },
      end: { dateTime: '2026-03-02T10:00:00Z', timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    });
    const full = await listAll({ calendarId: 'primary', singleEvents: true });
    expect(full.items).toHaveLength(3);
    emulator.asUser.patch('primary', master.id!, { summary: 'renamed series' });
    const edited = await listAll({
      calendarId: 'primary',
      singleEvents: true,
      syncToken: full.pages.at(-1)!.nextSyncToken!,
    });
    expect(edited.items.map((i) => i.summary)).toEqual([
      'renamed series',
      'renamed series',
      'renamed series',
    ]);
    emulator.asUser.cancelInstance('primary', master.id!, '2026-03-03T09:00:00Z');
    const cancelled = await listAll({
      calendarId: 'primary',
      singleEvents: true,
      syncToken: edited.pages.at(-1)!.nextSyncToken!,
    });
    expect(cancelled.items.map((i) => [i.id, i.status])).toEqual([
      [`${master.id}_20260303T090000Z`, 'cancelled'],
    ]);
    const mixed = await failure(
      api.events.list({ calendarId: 'primary', syncToken: cancelled.pages.at(-1)!.nextSyncToken! }),
    );
    expect(mixed.status).toBe(410);
  });
});

describe('Google Calendar emulator: event fields and writes', () => {
  it('keeps all-day dates with exclusive ends, transparency, eventType and private properties', async () => {
    const inserted = await api.events.insert({
      calendarId: 'primary',
      requestBody: {
        start: { date: '2026-03-02' },
        end: { date: '2026-03-04' },
        eventType: 'outOfOffice',
        transparency: 'opaque',
      },
    });
    emulator.asUser.insert('primary', {
      ...timed('2026-03-02T08:00:00Z', '2026-03-02T17:00:00Z'),
      eventType: 'workingLocation',
      transparency: 'transparent',
      workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
    });
    await api.events.insert({
      calendarId: 'primary',
      requestBody: {
        ...timed('2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z'),
        extendedProperties: { private: { careservice: 'booking-1' } },
      },
    });
    expect(inserted.data.end).toEqual({ date: '2026-03-04' });
    const onThird = await api.events.list({
      calendarId: 'primary',
      timeMin: '2026-03-03T00:00:00Z',
      timeMax: '2026-03-03T23:00:00Z',
    });
    expect(onThird.data.items?.map((e) => e.eventType)).toEqual(['outOfOffice']);
    const onFourth = await api.events.list({
      calendarId: 'primary',
      timeMin: '2026-03-04T00:00:00Z',
      timeMax: '2026-03-05T00:00:00Z',
    });
    expect(onFourth.data.items).toEqual([]);
    const ours = await api.events.list({
      calendarId: 'primary',
      privateExtendedProperty: ['careservice=booking-1'],
    });
    expect(ours.data.items?.map((e) => e.start?.dateTime)).toEqual(['2026-03-02T12:00:00Z']);
    const all = await api.events.list({ calendarId: 'primary' });
    expect(all.data.items?.find((e) => e.eventType === 'workingLocation')?.transparency).toBe(
      'transparent',
    );
  });

  it('takes client-chosen base32hex ids once and refuses others', async () => {
    const body = timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', { id: 'csbooking0001' });
    const created = await api.events.insert({ calendarId: 'primary', requestBody: body });
    expect(created.data).toMatchObject({
      id: 'csbooking0001',
      iCalUID: 'csbooking0001@google.com',
    });
    expect(
      await failure(api.events.insert({ calendarId: 'primary', requestBody: body })),
    ).toMatchObject({
      status: 409,
      reason: 'duplicate',
    });
    const badId = await failure(
      api.events.insert({ calendarId: 'primary', requestBody: { ...body, id: 'Booking-W' } }),
    );
    expect(badId).toMatchObject({ status: 400, reason: 'invalid' });
    const empty = await failure(
      api.events.insert({
        calendarId: 'primary',
        requestBody: timed('2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z'),
      }),
    );
    expect(empty).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
    const badRule = await failure(
      api.events.insert({
        calendarId: 'primary',
        requestBody: {
          start: { dateTime: '2026-03-02T09:00:00Z', timeZone: 'UTC' },
          end: { dateTime: '2026-03-02T10:00:00Z', timeZone: 'UTC' },
          recurrence: ['RRULE:FREQ=SOMETIMES'],
        },
      }),
    );
    expect(badRule).toMatchObject({ status: 400, reason: 'invalid' });
  });

  it('honours If-Match on patch, update and delete, and answers 410 for a second delete', async () => {
    const { data: created } = await api.events.insert({
      calendarId: 'primary',
      requestBody: timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'),
    });
    const ifMatch = (etag: string) => ({ headers: { 'If-Match': etag } });
    const patched = await api.events.patch(
      { calendarId: 'primary', eventId: created.id!, requestBody: { summary: 'a' } },
      ifMatch(created.etag!),
    );
    expect(patched.data.etag).not.toBe(created.etag);
    const stale = await failure(
      api.events.update(
        {
          calendarId: 'primary',
          eventId: created.id!,
          requestBody: timed('2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z'),
        },
        ifMatch(created.etag!),
      ),
    );
    expect(stale).toMatchObject({ status: 412, reason: 'conditionNotMet' });
    expect(
      (
        await failure(
          api.events.delete(
            { calendarId: 'primary', eventId: created.id! },
            ifMatch(created.etag!),
          ),
        )
      ).status,
    ).toBe(412);
    await api.events.delete(
      { calendarId: 'primary', eventId: created.id! },
      ifMatch(patched.data.etag!),
    );
    expect(
      (await failure(api.events.delete({ calendarId: 'primary', eventId: created.id! }))).status,
    ).toBe(410);
    expect(
      (await api.events.get({ calendarId: 'primary', eventId: created.id! })).data.status,
    ).toBe('cancelled');
  });
});

describe('Google Calendar emulator: quota faults', () => {
  it('answers injected 403 and 429 quota errors with Retry-After', async () => {
    emulator.failNext(1, 403, { reason: 'userRateLimitExceeded' });
    emulator.failNext(1, 429, { retryAfter: 7 });
    expect(await failure(api.events.list({ calendarId: 'primary' }))).toMatchObject({
      status: 403,
      reason: 'userRateLimitExceeded',
    });
    expect(await failure(api.events.list({ calendarId: 'primary' }))).toMatchObject({
      status: 429,
      reason: 'rateLimitExceeded',
      retryAfter: '7',
    });
    expect((await api.events.list({ calendarId: 'primary' })).status).toBe(200);
  });

  it('lets the client’s own retry of 429 succeed once the storm passes', async () => {
    const retrying = clientFor(emulator.issueAccessToken(), {
      retryConfig: { retry: 3, retryDelay: 1, retryDelayMultiplier: 1 },
    });
    emulator.failNext(2, 429, { retryAfter: 0 });
    expect((await retrying.events.list({ calendarId: 'primary' })).status).toBe(200);
    expect(emulator.calls.filter((c) => c.path.endsWith('/events')).map((c) => c.status)).toEqual([
      429, 429, 200,
    ]);
  });
});

describe('Google Calendar emulator: push channels', () => {
  it('sends sync then exists with the channel token, can drop one, and stops', async () => {
    const hook = await startWebhookReceiver();
    try {
      const { data: channel } = await api.events.watch({
        calendarId: 'primary',
        requestBody: {
          id: 'channel-1',
          type: 'web_hook',
          address: hook.url,
          token: 'secret-token',
        },
      });
      await emulator.notificationsSettled();
      emulator.asUser.insert('primary', timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'));
      emulator.dropNotifications(1);
      emulator.asUser.insert('primary', timed('2026-03-03T09:00:00Z', '2026-03-03T10:00:00Z'));
      await emulator.notificationsSettled();
      expect(
        hook.received.map((h) => [
          h.headers['x-goog-resource-state'],
          h.headers['x-goog-message-number'],
        ]),
      ).toEqual([
        ['sync', '1'],
        ['exists', '2'],
      ]);
      expect(hook.received.every((h) => h.headers['x-goog-channel-token'] === 'secret-token')).toBe(
        true,
      );
      expect(hook.received[0]!.headers['x-goog-resource-id']).toBe(channel.resourceId);
      expect(emulator.deliveries.map((d) => d.status)).toEqual([200, 200, null]);

      const duplicate = await failure(
        api.events.watch({
          calendarId: 'primary',
          requestBody: { id: 'channel-1', type: 'web_hook', address: hook.url },
        }),
      );
      expect(duplicate).toMatchObject({ status: 400, reason: 'channelIdNotUnique' });
      await api.channels.stop({
        requestBody: { id: channel.id!, resourceId: channel.resourceId! },
      });
      emulator.asUser.insert('primary', timed('2026-03-04T09:00:00Z', '2026-03-04T10:00:00Z'));
      await emulator.notificationsSettled();
      expect(hook.received).toHaveLength(2);
    } finally {
      await hook.close();
    }
  });
});

describe('Google Calendar emulator: channel expiry', () => {
  it('stops notifying once a channel expires', async () => {
    let clock = Date.parse('2026-03-01T08:00:00Z');
    const timed2 = await startGoogleCalendarEmulator({ now: () => clock });
    const hook = await startWebhookReceiver();
    try {
      const client = calendar({
        version: 'v3',
        rootUrl: timed2.rootUrl,
        headers: { authorization: `Bearer ${timed2.issueAccessToken()}` },
      });
      const { data } = await client.events.watch({
        calendarId: 'primary',
        requestBody: {
          id: 'short',
          type: 'web_hook',
          address: hook.url,
          expiration: String(clock + 60_000),
        },
      });
      expect(data.expiration).toBe(String(clock + 60_000));
      timed2.asUser.insert('primary', timed('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z'));
      clock += 61_000;
      timed2.asUser.insert('primary', timed('2026-03-03T09:00:00Z', '2026-03-03T10:00:00Z'));
      await timed2.notificationsSettled();
      expect(hook.received.map((h) => h.headers['x-goog-resource-state'])).toEqual([
        'sync',
        'exists',
      ]);
    } finally {
      await hook.close();
      await timed2.stop();
    }
  });
});
