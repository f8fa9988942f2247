import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@cs/platform';
import { createTestContext, type TestContext } from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CredentialCipher, parseCredentialKeys } from '@cs/eventing';
import { connectorService } from '../src/service';
import { connectorEnv } from './support/connector-app';
import { insertPushSubscription } from './support/push-rows';

const keys = `k1:${randomBytes(32).toString('base64')}`;
const cipher = new CredentialCipher(parseCredentialKeys(keys));

let ctx: TestContext;
let app: INestApplication;

/** A Microsoft calendar with a Graph subscription, as the subscription manager leaves it. */
async function subscribed(
  name: string,
): Promise<{ calendarId: string; subscriptionId: string; clientState: string }> {
  const connectionId = `conn-${name}`;
  const calendarId = `cal-${name}`;
  const subscriptionId = `sub-${name}-${randomBytes(4).toString('hex')}`;
  const clientState = randomBytes(32).toString('base64url');
  await ctx.pool.query(
    `INSERT INTO connections (connection_id, pro_id, provider, status, endpoint, key_id, sealed_credentials, created_at)
     VALUES ($1, 'pro-ms', 'microsoft', 'active', 'graph.microsoft.com', 'k1', 'unused', now())`,
    [connectionId],
  );
  await ctx.pool.query(
    `INSERT INTO connection_calendars (calendar_id, connection_id, position, url, name, writable, supports_delta, busy_source, write_target, all_day_blocks)
     VALUES ($1, $2, 0, 'AAMk-calendar', 'Calendar', true, true, true, false, true)`,
    [calendarId, connectionId],
  );
  await insertPushSubscription(ctx, cipher, {
    calendarId,
    connectionId,
    provider: 'microsoft',
    channelId: `ch-${name}`,
    subscriptionId,
    secret: clientState,
  });
  return { calendarId, subscriptionId, clientState };
}

const notified = async () =>
  (
    await ctx.pool.query<{ data: { calendarId: string; reason: string } }>(
      `SELECT data FROM events WHERE type = 'calendar.change_notified' ORDER BY global_position`,
    )
  ).rows.map((r) => r.data);
const requested = async (calendarId: string) =>
  (
    await ctx.pool.query<{ requested: string | null; due: boolean }>(
      `SELECT requested, next_action_at <= now() AS due FROM push_subscriptions WHERE calendar_id = $1`,
      [calendarId],
    )
  ).rows[0];

const change = (s: { subscriptionId: string; clientState: string }) => ({
  subscriptionId: s.subscriptionId,
  subscriptionExpirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
  changeType: 'updated',
  resource: 'Users/u-1/Events/AAMkAD',
  resourceData: {
    '@odata.type': '#Microsoft.Graph.Event',
    '@odata.id': 'Users/u-1/Events/AAMkAD',
    id: 'AAMkAD',
  },
  clientState: s.clientState,
  tenantId: 'tenant-1',
});
const lifecycle = (s: { subscriptionId: string; clientState: string }, lifecycleEvent: string) => ({
  subscriptionId: s.subscriptionId,
  subscriptionExpirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
  tenantId: 'tenant-1',
  clientState: s.clientState,
  lifecycleEvent,
});

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  // No PUBLIC_WEBHOOK_URL: the manager stays idle, so what the webhook asks of it stays visible.
  app = await createServiceApp(connectorService, connectorEnv(ctx, keys));
});
afterAll(async () => {
  await app?.close();
  for (const context of ['connector', 'sync'] as const)
    await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
  await ctx?.cleanup();
});

const post = (body: unknown, query = '') =>
  request(app.getHttpServer())
    .post(`/webhooks/microsoft${query}`)
    .send(body as object);

describe('POST /webhooks/microsoft', () => {
  it('echoes the validationToken as text/plain', async () => {
    const token =
      'Validation: Testing client application reachability for subscription Request-Id: 8c1a-42';
    const answer = await request(app.getHttpServer())
      .post(`/webhooks/microsoft?validationToken=${encodeURIComponent(token)}`)
      .set('content-type', 'text/plain; charset=utf-8')
      .expect(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    expect(answer.text).toBe(token);
    expect(await notified()).toEqual([]);
  });

  it('accepts a batch whose every clientState matches, once per calendar', async () => {
    const a = await subscribed('a');
    const b = await subscribed('b');
    await post({ value: [change(a), change(a), change(b)] }).expect(202);
    expect(await notified()).toEqual([
      expect.objectContaining({
        calendarId: a.calendarId,
        provider: 'microsoft',
        reason: 'changed',
      }),
      expect.objectContaining({
        calendarId: b.calendarId,
        provider: 'microsoft',
        reason: 'changed',
      }),
    ]);
  });

  it('applies the valid notifications of a batch and refuses the others, one stale subscription blocking nobody', async () => {
    const g = await subscribed('g');
    const h = await subscribed('h');
    const before = (await notified()).length;
    const forged = { ...h, clientState: `${h.clientState.slice(0, -3)}abc` };
    await post({
      value: [
        change({ ...g, subscriptionId: 'sub-stale' }),
        change(forged),
        change(g),
        lifecycle(forged, 'subscriptionRemoved'),
      ],
    }).expect(202);
    expect((await notified()).slice(before)).toEqual([
      expect.objectContaining({ calendarId: g.calendarId, reason: 'changed' }),
    ]);
    expect(await requested(h.calendarId)).toEqual({ requested: null, due: false });
  });

  it('refuses a batch with nothing valid in it, and changes nothing', async () => {
    const c = await subscribed('c');
    const before = await notified();
    const forged = { ...c, clientState: `${c.clientState.slice(0, -3)}abc` };
    for (const value of [
      [change(forged)],
      [change({ ...c, subscriptionId: 'sub-nobody' })],
      [{ ...change(c), clientState: undefined }],
      [lifecycle(forged, 'subscriptionRemoved')],
    ]) {
      const refused = await post({ value }).expect(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect(await notified()).toEqual(before);
    expect(await requested(c.calendarId)).toEqual({ requested: null, due: false });
  });

  it('syncs a calendar whose new subscription Graph notifies before its id is stored', async () => {
    const k = await subscribed('k');
    // The manager has stored the new secret and is waiting for Graph to answer with the id.
    await ctx.pool.query(
      `UPDATE push_subscriptions SET provider_subscription_id = NULL, pending_channel_id = 'ch-k2'
        WHERE calendar_id = $1`,
      [k.calendarId],
    );
    await post({ value: [change({ ...k, subscriptionId: 'sub-k-not-stored-yet' })] }).expect(202);
    expect((await notified()).at(-1)).toMatchObject({
      calendarId: k.calendarId,
      reason: 'changed',
    });
  });

  it('answers a malformed body with 422', async () => {
    await post({ value: 'nothing' }).expect(422);
    await post({ notifications: [] }).expect(422);
  });

  it('turns missed into a delta sync', async () => {
    const d = await subscribed('d');
    await post({ value: [lifecycle(d, 'missed')] }).expect(202);
    expect((await notified()).at(-1)).toMatchObject({ calendarId: d.calendarId, reason: 'missed' });
    expect(await requested(d.calendarId)).toEqual({ requested: null, due: false });
  });

  it('hands reauthorizationRequired to the manager as a renewal, without a sync', async () => {
    const e = await subscribed('e');
    const before = (await notified()).length;
    await post({ value: [lifecycle(e, 'reauthorizationRequired')] }).expect(202);
    expect(await requested(e.calendarId)).toEqual({ requested: 'renew', due: true });
    expect(await notified()).toHaveLength(before);
  });

  it('hands subscriptionRemoved to the manager to subscribe again, and syncs what it missed', async () => {
    const f = await subscribed('f');
    await post({ value: [lifecycle(f, 'subscriptionRemoved')] }).expect(202);
    expect(await requested(f.calendarId)).toEqual({ requested: 'resubscribe', due: true });
    expect((await notified()).at(-1)).toMatchObject({ calendarId: f.calendarId, reason: 'missed' });
  });
});
