import {
  eventually,
  type GoogleCalendarEmulator,
  type GoogleChannel,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busEvents } from './support/connector-and-sync';
import { connectGoogle, startWithGoogle, type WithGoogle } from './support/google-connection';
import { type ProApi, signInPro } from './support/pro-api';
import { pushEnv } from './support/provider-emulators';

const timed = (day: number, summary: string) => ({
  summary,
  start: { dateTime: `2026-12-${String(day).padStart(2, '0')}T09:00:00Z` },
  end: { dateTime: `2026-12-${String(day).padStart(2, '0')}T10:00:00Z` },
});

interface Synced {
  calendarId: string;
  cause: string;
  changes: number;
}

/** Google with push channels to the connector's webhook, sync polling every `pollMs`. */
const pushSystem = (pollMs: string) => startWithGoogle(pushEnv, { SYNC_POLL_INTERVAL_MS: pollMs });

const upsertedUids = async (ctx: TestContext) =>
  (await busEvents(ctx, 'calendar.event_upserted')).map(
    (e) => (e.data as { eventUid: string }).eventUid,
  );
const synced = async (ctx: TestContext) =>
  (await busEvents(ctx, 'calendar.synced')).map((e) => e.data as Synced);
const notifiedCount = async (ctx: TestContext) =>
  Number(
    (
      await ctx.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${ctx.schema}.events WHERE type = 'calendar.change_notified'`,
      )
    ).rows[0]!.n,
  );
const pushRow = async (ctx: TestContext, calendarId: string) =>
  (
    await ctx.pool.query<{
      channel_id: string | null;
      resource_id: string | null;
      sealed_token: string | null;
      expires_at: Date | null;
    }>(`SELECT * FROM ${ctx.schema}.push_subscriptions WHERE calendar_id = $1`, [calendarId])
  ).rows[0];

describe('Google push channels into sync', () => {
  const PRO = 'pro-push';
  let running: WithGoogle;
  let google: GoogleCalendarEmulator;
  let ctx: TestContext;
  let connectorUrl: string;
  let pro: ProApi;
  let connectionId: string;
  let calendarId: string;

  beforeAll(async () => {
    // Polling is ten minutes away: whatever syncs in these tests was pushed.
    running = await pushSystem('600000');
    ({ google } = running);
    ({ ctx, connectorUrl } = running.system);
    pro = await signInPro(running.system, PRO);
  });
  afterAll(async () => {
    await running?.stop();
  });

  const webhook = (headers: Record<string, string>) =>
    request(connectorUrl).post('/webhooks/google').set(headers);
  /** What Google sends on a change, for that channel. */
  const notification = (channel: GoogleChannel) => ({
    'X-Goog-Channel-ID': channel.id,
    'X-Goog-Channel-Token': channel.token!,
    'X-Goog-Resource-ID': channel.resourceId,
    'X-Goog-Resource-State': 'exists',
    'X-Goog-Message-Number': '99',
  });

  it('opens a channel on the connected calendar and answers its handshake', async () => {
    const connected = await connectGoogle(pro);
    connectionId = connected.connectionId;
    calendarId = connected.calendars[0]!.calendarId;
    const channel = await eventually(async () => {
      const channels = google.channels();
      expect(channels).toHaveLength(1);
      return channels[0]!;
    });
    expect(channel).toMatchObject({
      calendarId: google.account,
      address: `${connectorUrl}/webhooks/google`,
    });
    expect(channel.token).toEqual(expect.any(String));
    await google.notificationsSettled();
    expect(google.deliveries.filter((d) => d.channelId === channel.id)).toEqual([
      expect.objectContaining({ state: 'sync', status: 200 }),
    ]);
    const row = await eventually(async () => {
      const found = await pushRow(ctx, calendarId);
      expect(found?.channel_id).toBe(channel.id);
      return found!;
    });
    expect(row.resource_id).toBe(channel.resourceId);
    expect(row.sealed_token).not.toContain(channel.token);
    // Only the opening itself: the calendar is read once at once (see the next test).
    await eventually(async () => expect(await notifiedCount(ctx)).toBe(1));
  });

  it('reads the calendar at once when a channel opens or is renewed: a change before it is not left to the poll', async () => {
    const notified = await eventually(async () => {
      const events = await busEvents(ctx, 'calendar.change_notified', 'connector');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(notified.map((e) => e.data)).toEqual([
      { proId: PRO, connectionId, calendarId, provider: 'google', reason: 'subscribed' },
    ]);
    // A new connection's first sync covers what came before its channel; after a renewal
    // nothing else would: a change whose notification never comes, then a renewal, brings it in.
    google.dropNotifications(1);
    const unnoticed = google.asUser.insert('primary', timed(4, 'before the renewal'));
    expect(await upsertedUids(ctx)).not.toContain(unnoticed.id);
    await ctx.pool.query(
      `UPDATE ${ctx.schema}.push_subscriptions
          SET expires_at = now() + interval '1 hour', next_action_at = now() WHERE calendar_id = $1`,
      [calendarId],
    );
    await eventually(async () => expect(await upsertedUids(ctx)).toContain(unnoticed.id));
  });

  it('syncs a change the Pro makes in Google at once, through the channel', async () => {
    await eventually(async () =>
      expect((await synced(ctx)).some((s) => s.calendarId === calendarId)).toBe(true),
    );
    const added = google.asUser.insert('primary', timed(1, 'dentist'));
    await eventually(async () => expect(await upsertedUids(ctx)).toContain(added.id));
    expect((await synced(ctx)).filter((s) => s.cause === 'push' && s.changes > 0)).not.toHaveLength(
      0,
    );
    const notified = await busEvents(ctx, 'calendar.change_notified', 'connector');
    expect(notified.map((e) => e.data)).toContainEqual({
      proId: PRO,
      connectionId,
      calendarId,
      provider: 'google',
      reason: 'changed',
    });
    expect(JSON.stringify(notified)).not.toContain(google.channels()[0]!.token);
  });

  it('refuses a forged token, an unknown channel or another resource with 401, and changes nothing', async () => {
    const channel = google.channels()[0]!;
    const genuine = notification(channel);
    const before = await notifiedCount(ctx);
    const forged = [
      { ...genuine, 'X-Goog-Channel-Token': `${channel.token!.slice(0, -2)}xx` },
      { ...genuine, 'X-Goog-Channel-ID': 'not-a-channel-of-ours' },
      { ...genuine, 'X-Goog-Resource-ID': 'another-resource' },
      { ...genuine, 'X-Goog-Channel-Token': '' },
    ];
    for (const headers of forged) {
      const refused = await webhook(headers).expect(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        status: 401,
        detail: 'the notification could not be verified',
      });
    }
    expect(await notifiedCount(ctx)).toBe(before);
    await webhook(genuine).expect(200);
    expect(await notifiedCount(ctx)).toBe(before + 1);
  });

  it('renews a channel about to expire: a new one opens, then the old one is stopped', async () => {
    const old = google.channels()[0]!;
    await ctx.pool.query(
      `UPDATE ${ctx.schema}.push_subscriptions
          SET expires_at = now() + interval '1 hour', next_action_at = now() WHERE calendar_id = $1`,
      [calendarId],
    );
    const renewed = await eventually(async () => {
      const channels = google.channels();
      expect(channels).toHaveLength(1);
      expect(channels[0]!.id).not.toBe(old.id);
      return channels[0]!;
    });
    expect(google.calls).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/calendar/v3/channels/stop', status: 204 }),
    );
    const row = await eventually(async () => {
      const found = await pushRow(ctx, calendarId);
      expect(found?.channel_id).toBe(renewed.id);
      return found!;
    });
    expect(row.expires_at!.getTime()).toBeGreaterThan(Date.now() + 86_400_000);
    await webhook(notification(old)).expect(401);
    const added = google.asUser.insert('primary', timed(2, 'after renewal'));
    await eventually(async () => expect(await upsertedUids(ctx)).toContain(added.id));
  });

  it('stops the channel while the calendar is no busy source, and opens one when it is again', async () => {
    const configure = (busySource: boolean) =>
      request(connectorUrl)
        .patch(`/v1/connections/${connectionId}/calendars/${calendarId}`)
        .set('authorization', `Bearer ${pro.token}`)
        .send({ busySource })
        .expect(200);
    await configure(false);
    await eventually(async () => {
      expect(google.channels()).toHaveLength(0);
      expect(await pushRow(ctx, calendarId)).toBeUndefined();
    });
    await configure(true);
    await eventually(async () => expect(google.channels()).toHaveLength(1));
  });

  it('stops the channel on disconnect; its notifications are refused afterwards', async () => {
    await eventually(async () =>
      expect((await pushRow(ctx, calendarId))?.channel_id).toBe(google.channels()[0]?.id),
    );
    const channel = google.channels()[0]!;
    const stops = google.calls.filter((c) => c.path.endsWith('/channels/stop')).length;
    await pro.disconnect(connectionId);
    expect(google.channels()).toHaveLength(0);
    expect(google.calls.filter((c) => c.path.endsWith('/channels/stop'))).toHaveLength(stops + 1);
    expect(await pushRow(ctx, calendarId)).toBeUndefined();
    await webhook(notification(channel)).expect(401);
  });
});

describe('a lost Google notification', () => {
  const PRO = 'pro-lost';
  let running: WithGoogle;

  beforeAll(async () => {
    running = await pushSystem('1500');
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('is caught by the periodic poll', async () => {
    const { google, system } = running;
    const { ctx } = system;
    const { calendars } = await connectGoogle(await signInPro(system, PRO));
    const calendarId = calendars[0]!.calendarId;
    await eventually(async () => {
      expect(google.channels()).toHaveLength(1);
      expect((await pushRow(ctx, calendarId))?.channel_id).toBe(google.channels()[0]!.id);
    });
    // The channel's opening is itself a notice, read at once; a poll after it means that read
    // is over, so what comes next can only reach sync by the poll.
    await eventually(async () => expect(await notifiedCount(ctx)).toBe(1));
    const seen = (await synced(ctx)).length;
    await eventually(async () =>
      expect(
        (await synced(ctx))
          .slice(seen)
          .some((s) => s.calendarId === calendarId && s.cause === 'schedule'),
      ).toBe(true),
    );
    const notified = await notifiedCount(ctx);
    const pushed = async () =>
      (await synced(ctx)).filter((s) => s.changes > 0 && s.cause === 'push').length;
    const pushedBefore = await pushed();
    google.dropNotifications(1);
    const added = google.asUser.insert('primary', timed(3, 'lost in transit'));
    expect(google.deliveries.at(-1)).toMatchObject({ state: 'exists', dropped: true });
    await eventually(async () => expect(await upsertedUids(ctx)).toContain(added.id), 20_000);
    expect(await notifiedCount(ctx)).toBe(notified);
    expect(await pushed()).toBe(pushedBefore);
  });
});
