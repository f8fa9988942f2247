import { eventually, type GoogleCalendarEmulator, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookingConfirmed, publishBooking } from './support/booking-events';
import { busEvents as eventsOnBus } from './support/connector-and-sync';
import { startWithGoogle, type WithGoogle } from './support/google-connection';
import { expectReauthRequired, expireStates, forgedCallback } from './support/oauth-connection';
import { type ProApi, signInPro } from './support/pro-api';
import { googleConsent as consent } from './support/provider-emulators';

let running: WithGoogle;
let ctx: TestContext;
let google: GoogleCalendarEmulator;
let pro: ProApi;

const PRO = 'pro-g';
/** The default: refusals in a row before a calendar needs the Pro to sign in again. */
const SYNC_REAUTH_AFTER_FAILURES = 3;
const AUTH_REVOKED = { provider: 'google', error_kind: 'auth_revoked' };

/** One sample of a Prometheus text exposition, whatever the order of its labels. */
function metric(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find(
    (l) =>
      l.startsWith(`${name}{`) &&
      wanted.every((pair) =>
        l
          .slice(name.length + 1, l.indexOf('}'))
          .split(',')
          .includes(pair),
      ),
  );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
const timed = (start: string, end: string, summary: string) => ({
  summary,
  start: { dateTime: start },
  end: { dateTime: end },
});

beforeAll(async () => {
  running = await startWithGoogle();
  ({ google } = running);
  ({ ctx } = running.system);
  pro = await signInPro(running.system, PRO);
});
afterAll(async () => {
  await running?.stop();
});

const busEvents = (type: string, context: 'sync' | 'connector' = 'sync') =>
  eventsOnBus(ctx, type, context);

const upsertedUids = async () =>
  (await busEvents('calendar.event_upserted')).map(
    (e) => (e.data as { eventUid: string }).eventUid,
  );

describe('Google Calendar through the connector and sync', () => {
  let connectionId: string;

  it('refuses a forged, replayed or expired state and changes nothing', async () => {
    const pending = await pro.startConnecting('google');
    const back = new URL(await consent(pending.authorizeUrl));
    const refused = await pro.callback(forgedCallback(back)).expect(401);
    expect(refused.body.type).toContain('oauth-state-refused');

    await expireStates(ctx, pending.connectionId);
    await pro.callback(back).expect(400);
    await pro.callback(back).expect(400);
    expect(await pro.connections()).toEqual([
      expect.objectContaining({
        connectionId: pending.connectionId,
        status: 'pending_authorization',
        calendars: [],
      }),
    ]);
    await pro.disconnect(pending.connectionId);
  });

  it('connects through consent and the callback; the Pro’s events become busy time', async () => {
    google.asUser.insert(
      'primary',
      timed('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', 'dentist'),
    );
    google.asUser.insert('primary', {
      ...timed('2026-12-01T08:00:00Z', '2026-12-01T17:00:00Z', 'home'),
      eventType: 'workingLocation',
      transparency: 'transparent',
      workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
    });
    const pending = await pro.startConnecting('google');
    expect(pending.status).toBe('pending_authorization');
    const authorize = new URL(pending.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      access_type: 'offline',
      code_challenge_method: 'S256',
      scope: 'https://www.googleapis.com/auth/calendar',
    });
    const back = new URL(await consent(pending.authorizeUrl));
    const completed = await pro.callback(back).expect(200);
    connectionId = completed.body.connectionId;
    expect(completed.body).toMatchObject({
      connectionId: pending.connectionId,
      status: 'active',
      calendars: [{ name: google.account, writeTarget: true, writable: true }],
    });
    await pro.callback(back).expect(400);

    const upserted = await eventually(async () => {
      const events = await busEvents('calendar.event_upserted');
      expect(events.length).toBeGreaterThanOrEqual(1);
      return events;
    });
    const dentist = upserted.find(
      (e) => (e.data as { start: string }).start === '2026-12-01T09:00:00.000Z',
    );
    expect(dentist?.data).toMatchObject({
      proId: PRO,
      end: '2026-12-01T10:00:00.000Z',
      bookingId: null,
    });
    const sealed = await ctx.pool.query(
      `SELECT sealed_credentials FROM ${ctx.schema}.connections WHERE connection_id = $1`,
      [connectionId],
    );
    expect(sealed.rows[0].sealed_credentials).not.toContain('1//');
  });

  it('sends an event the Pro adds in Google as calendar.event_upserted', async () => {
    const before = await upsertedUids();
    const added = google.asUser.insert(
      'primary',
      timed('2026-12-02T14:00:00Z', '2026-12-02T15:00:00Z', 'school run'),
    );
    await pro.syncNow(connectionId);
    await eventually(async () => expect(await upsertedUids()).toContain(added.id));
    expect((await upsertedUids()).length).toBe(before.length + 1);
  });

  it('writes a confirmed booking into Google once, marked as ours', async () => {
    const bookingId = 'bk-g1';
    await publishBooking(
      ctx,
      'booking.confirmed',
      bookingConfirmed(bookingId, {
        proId: PRO,
        serviceId: 'wound-care',
        start: '2026-12-03T09:00:00.000Z',
        end: '2026-12-03T09:45:00.000Z',
      }),
      1,
    );
    const ours = await eventually(async () => {
      const copies = google
        .storedEvents(google.account)
        .filter((e) => e.extendedProperties?.private?.careserviceUid?.includes(bookingId));
      expect(copies).toHaveLength(1);
      return copies[0]!;
    });
    expect(ours).toMatchObject({
      start: { dateTime: '2026-12-03T09:00:00.000Z', timeZone: 'Europe/Amsterdam' },
      status: 'confirmed',
    });
    expect(ours.id).toMatch(/^[0-9a-v]{5,1024}$/);
    await eventually(async () =>
      expect((await busEvents('calendar.booking_mirrored')).map((e) => e.data)).toEqual([
        expect.objectContaining({ bookingId, action: 'created' }),
      ]),
    );
    // Our copy coming back through the next listing is not external busy time.
    const before = await upsertedUids();
    await pro.syncNow(connectionId);
    await eventually(async () => expect((await pro.syncStatus(connectionId)).state).toBe('ok'));
    expect(await upsertedUids()).toEqual(before);
  });

  it('recovers from an expired sync token with a full listing that loses nothing', async () => {
    const removed = (await busEvents('calendar.event_removed')).length;
    google.expireSyncTokens(google.account);
    const added = google.asUser.insert(
      'primary',
      timed('2026-12-04T11:00:00Z', '2026-12-04T12:00:00Z', 'after expiry'),
    );
    // Asked again while waiting: a request that lands during a run already under way is
    // served by the next run, which on a loaded machine may be a poll interval away.
    await eventually(
      async () => {
        await pro.syncNow(connectionId);
        expect(await upsertedUids()).toContain(added.id);
      },
      45_000,
      1_000,
    );
    expect(google.calls.some((c) => c.path.endsWith('/events') && c.status === 410)).toBe(true);
    expect((await busEvents('calendar.event_removed')).length).toBe(removed);
  });

  it('waits out a 429 with Retry-After, then syncs', async () => {
    google.failNext(1, 429, { retryAfter: 1 });
    const added = google.asUser.insert(
      'primary',
      timed('2026-12-05T11:00:00Z', '2026-12-05T12:00:00Z', 'after the storm'),
    );
    await pro.syncNow(connectionId);
    await eventually(async () => expect(await upsertedUids()).toContain(added.id), 15_000);
    const statuses = google.calls.filter((c) => c.path.endsWith('/events')).map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(200);
  });

  it('frees an invitation the Pro declined (their own attendee, `self`) and a transparent event', async () => {
    const invitation = (responseStatus: string) => ({
      ...timed('2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z', `board (${responseStatus})`),
      attendees: [
        { email: google.account, responseStatus },
        { email: 'chair@example.org', responseStatus: 'accepted' },
      ],
    });
    const declined = google.asUser.insert('primary', invitation('declined'));
    const accepted = google.asUser.insert('primary', invitation('accepted'));
    const free = google.asUser.insert('primary', {
      ...timed('2026-12-03T11:00:00Z', '2026-12-03T12:00:00Z', 'maybe'),
      transparency: 'transparent',
    });
    // As Google shows it: `self` on the calendar's own entry only.
    expect(declined.attendees).toEqual([
      { email: google.account, responseStatus: 'declined', self: true },
      { email: 'chair@example.org', responseStatus: 'accepted' },
    ]);
    await pro.syncNow(connectionId);
    const published = await eventually(async () => {
      const events = (await busEvents('calendar.event_upserted')).map(
        (e) => e.data as { eventUid: string; declinedByPro: boolean; transparent: boolean },
      );
      const ours = [declined, accepted, free].map((e) => events.find((u) => u.eventUid === e.id));
      expect(ours.every(Boolean)).toBe(true);
      return ours;
    });
    expect(published.map((e) => [e!.declinedByPro, e!.transparent])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
  });

  it('marks the connection reauth_required once the Pro revokes consent', async () => {
    const failuresBefore = metric(await pro.metrics(), 'cs_sync_failures_total', AUTH_REVOKED);
    google.revokeConsent();
    await expectReauthRequired(pro, ctx, connectionId);

    // The Pro's sync status names the calendar and says it needs sign-in.
    const status = await pro.proSyncStatus().expect(200);
    expect(status.body).toEqual({
      proId: PRO,
      state: 'reauth_required',
      calendars: [
        expect.objectContaining({
          connectionId,
          name: google.account,
          provider: 'google',
          state: 'reauth_required',
          lastError: expect.any(String),
        }),
      ],
    });

    // Operators see it too: failures per provider and kind, the calendar needing sign-in.
    const metrics = await pro.metrics();
    // At least the refusals that led there (the test's own "sync now" may add a few more).
    expect(metric(metrics, 'cs_sync_failures_total', AUTH_REVOKED)).toBeGreaterThanOrEqual(
      (failuresBefore ?? 0) + SYNC_REAUTH_AFTER_FAILURES,
    );
    expect(metric(metrics, 'cs_sync_reauth_required_total', { provider: 'google' })).toBe(1);
    expect(
      metric(metrics, 'cs_sync_calendars', { provider: 'google', state: 'reauth_required' }),
    ).toBe(1);
    expect(metric(metrics, 'cs_sync_calendars', { provider: 'google', state: 'ok' })).toBe(0);
  });

  it('shows a Pro’s sync status to that Pro and to services only, as problem+json otherwise', async () => {
    const stranger = await pro.proSyncStatus('pro-other').expect(403);
    expect(stranger.headers['content-type']).toContain('application/problem+json');
    expect(stranger.body.detail).toContain('pro-other');
    // Ids are at most 200 characters.
    const bad = await pro.proSyncStatus('p'.repeat(201)).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'proId' })]);
  });
});
