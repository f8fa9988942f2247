import { createHmac } from 'node:crypto';
import {
  type CalendlyEmulator,
  eventually,
  startCalendlyEmulator,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busEvents,
  type ConnectorAndSync,
  startConnectorAndSync,
} from './support/connector-and-sync';
import { type ProApi, signInPro } from './support/pro-api';
import { pushEnv } from './support/provider-emulators';

const PRO = 'pro-calendly';
let calendly: CalendlyEmulator;
let system: ConnectorAndSync;
let ctx: TestContext;
let connectorUrl: string;
let pro: ProApi;
/** How far the emulator's clock is off: a delivery signed in the past is stale. */
let skewMs = 0;

beforeAll(async () => {
  calendly = await startCalendlyEmulator({ now: () => Date.now() + skewMs });
  system = await startConnectorAndSync((url) => ({
    CALENDLY_API_ROOT: calendly.apiRoot,
    ...pushEnv(url),
  }));
  ({ ctx, connectorUrl } = system);
  pro = await signInPro(system, PRO);
});
afterAll(async () => {
  await system?.stop();
  await calendly?.stop();
});

const connect = (accessToken: string) => pro.connect({ provider: 'calendly', accessToken });
/** What a webhook can change: the connector's record of notifications and Calendly items. */
const footprint = async () => {
  const { rows } = await ctx.pool.query<{ notified: string; items: string; data: string | null }>(
    `SELECT (SELECT count(*) FROM ${ctx.schema}.events WHERE type = 'calendar.change_notified') AS notified,
            (SELECT count(*) FROM ${ctx.schema}.feed_items) AS items,
            (SELECT string_agg(data, '' ORDER BY href) FROM ${ctx.schema}.feed_items) AS data`,
  );
  return rows[0]!;
};
const upserted = async () =>
  (await busEvents(ctx, 'calendar.event_upserted')).map(
    (e) => e.data as { eventUid: string; start: string; end: string; calendarId: string },
  );

describe('Calendly through the connector and sync', () => {
  let connectionId: string;
  let calendarId: string;

  it('refuses a token Calendly does not know, naming the field', async () => {
    const refused = await connect('pat_not-a-token').expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'accessToken' })]);
  });

  it('connects with a personal access token and subscribes a signed webhook', async () => {
    const connected = await connect(calendly.token).expect(201);
    connectionId = connected.body.connectionId;
    expect(connected.body).toMatchObject({
      status: 'active',
      calendars: [{ name: calendly.user.name, busySource: true, writable: false }],
    });
    calendarId = connected.body.calendars[0].calendarId;
    const [subscription] = await eventually(async () => {
      const subscriptions = calendly.subscriptions();
      expect(subscriptions).toHaveLength(1);
      return subscriptions;
    });
    expect(subscription).toMatchObject({
      callback_url: `${connectorUrl}/webhooks/calendly`,
      events: ['invitee.created', 'invitee.canceled'],
      scope: 'user',
      user: calendly.user.uri,
    });
    const sealed = await ctx.pool.query(
      `SELECT sealed_credentials FROM ${ctx.schema}.connections WHERE connection_id = $1`,
      [connectionId],
    );
    expect(sealed.rows[0].sealed_credentials).not.toContain(calendly.token);
    await eventually(async () => {
      const row = await ctx.pool.query(
        `SELECT provider_subscription_id FROM ${ctx.schema}.push_subscriptions WHERE calendar_id = $1`,
        [calendarId],
      );
      expect(row.rows[0]?.provider_subscription_id).toBe(subscription!.uri);
    });
  });

  it('turns a booking into busy time', async () => {
    const booking = calendly.asInvitee.book({
      start: '2026-12-07T10:00:00Z',
      end: '2026-12-07T10:45:00Z',
    });
    await calendly.notificationsSettled();
    expect(calendly.deliveries.at(-1)).toMatchObject({ event: 'invitee.created', status: 200 });
    const busy = await eventually(async () => {
      const found = (await upserted()).find((u) => u.eventUid === booking.eventUri);
      expect(found).toBeDefined();
      return found!;
    });
    expect(busy).toMatchObject({
      calendarId,
      start: '2026-12-07T10:00:00.000Z',
      end: '2026-12-07T10:45:00.000Z',
    });
    expect(
      (await busEvents(ctx, 'calendar.change_notified', 'connector')).map((e) => e.data),
    ).toContainEqual({
      proId: PRO,
      connectionId,
      calendarId,
      provider: 'calendly',
      reason: 'webhook',
    });
  });

  it('applies a redelivered webhook once', async () => {
    const before = await footprint();
    const upserts = (await upserted()).length;
    const delivery = calendly.deliveries.at(-1)!;
    expect(await calendly.redeliver(delivery)).toBe(200);
    expect(await calendly.redeliver(delivery)).toBe(200);
    expect(await footprint()).toEqual(before);
    await pro.syncNow(connectionId);
    await eventually(async () => {
      const runs = (await busEvents(ctx, 'calendar.synced')).filter(
        (e) => (e.data as { cause: string }).cause === 'manual',
      );
      expect(runs).toHaveLength(1);
    });
    expect(await upserted()).toHaveLength(upserts);
  });

  it('refuses a forged, unsigned, stale or foreign webhook with 401, and changes nothing', async () => {
    const before = await footprint();
    const genuine = calendly.deliveries.at(-1)!;
    const post = (body: string, signature?: string) => {
      const call = request(connectorUrl)
        .post('/webhooks/calendly')
        .set('content-type', 'application/json');
      return (signature ? call.set('Calendly-Webhook-Signature', signature) : call).send(body);
    };
    const t = Math.floor(Date.now() / 1000);
    const forgedKey = createHmac('sha256', 'not-the-key')
      .update(`${t}.${genuine.body}`)
      .digest('hex');
    const tampered = genuine.body.replace('2026-12-07T10:00', '2026-12-08T10:00');
    const foreign = JSON.stringify({
      ...JSON.parse(genuine.body),
      created_by: 'https://api.calendly.com/users/OTHER',
    });
    for (const attempt of [
      post(genuine.body, `t=${t},v1=${forgedKey}`),
      post(genuine.body),
      post(genuine.body, `t=${t}`),
      post(tampered, `t=${t},v1=${forgedKey}`),
      post(foreign, `t=${t},v1=${forgedKey}`),
    ]) {
      const refused = await attempt.expect(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    // Calendly itself, with the right key but a timestamp from ten minutes ago: a replay.
    skewMs = -10 * 60_000;
    const late = calendly.asInvitee.book({
      start: '2026-12-09T10:00:00Z',
      end: '2026-12-09T11:00:00Z',
    });
    await calendly.notificationsSettled();
    skewMs = 0;
    expect(calendly.deliveries.at(-1)).toMatchObject({ event: 'invitee.created', status: 401 });
    expect(await footprint()).toEqual(before);
    // Its retry, signed now, goes through.
    expect(await calendly.redeliver(calendly.deliveries.at(-1)!)).toBe(200);
    await eventually(async () =>
      expect((await upserted()).map((u) => u.eventUid)).toContain(late.eventUri),
    );
  });

  it('frees the time of a cancelled booking', async () => {
    const booking = calendly.asInvitee.book({
      start: '2026-12-10T14:00:00Z',
      end: '2026-12-10T15:00:00Z',
    });
    await eventually(async () =>
      expect((await upserted()).map((u) => u.eventUid)).toContain(booking.eventUri),
    );
    calendly.asInvitee.cancel(booking);
    await eventually(async () =>
      expect(
        (await busEvents(ctx, 'calendar.event_removed')).map(
          (e) => (e.data as { eventUid: string }).eventUid,
        ),
      ).toContain(booking.eventUri),
    );
    // A booking delivery that comes again after the cancellation does not bring it back.
    const created = calendly.deliveries.find(
      (d) => d.event === 'invitee.created' && d.body.includes(booking.inviteeUri),
    )!;
    const items = (await footprint()).items;
    expect(await calendly.redeliver(created)).toBe(200);
    expect((await footprint()).items).toBe(items);
  });

  it('deletes the webhook subscription on disconnect', async () => {
    await pro.disconnect(connectionId);
    expect(calendly.subscriptions()).toHaveLength(0);
    expect(calendly.calls).toContainEqual(
      expect.objectContaining({ method: 'DELETE', status: 204 }),
    );
    const booking = calendly.asInvitee.book({
      start: '2026-12-11T10:00:00Z',
      end: '2026-12-11T11:00:00Z',
    });
    await calendly.notificationsSettled();
    expect(calendly.deliveries.at(-1)?.body ?? '').not.toContain(booking.eventUri);
  });
});
