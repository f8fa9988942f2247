import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CredentialCipher, currentContext, parseCredentialKeys, PG_POOL } from '@cs/eventing';
import { createServiceApp } from '@cs/platform';
import { createTestContext, type TestContext } from '@cs/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { calendlySignature } from '../src/infrastructure/providers/calendly/calendly-signature';
import { pushSecrets } from '../src/infrastructure/push-subscriptions/push-subscription-store';
import { connectorService } from '../src/service';
import { connectorEnv } from './support/connector-app';

const keys = `k1:${randomBytes(32).toString('base64')}`;
const cipher = new CredentialCipher(parseCredentialKeys(keys));
const OWNER = 'https://api.calendly.com/users/flood-owner';

let ctx: TestContext;
let app: INestApplication;
let base: string;
/** Queries the connector's pool was asked for, by the correlation id of the request asking. */
const queriesBy = new Map<string, number>();

interface Subscription {
  calendarId: string;
  channelId: string;
  subscriptionId: string;
  resourceId: string;
  secret: string;
}

async function subscribe(
  provider: 'google' | 'microsoft' | 'calendly',
  opening = false,
): Promise<Subscription> {
  const name = randomUUID();
  const s = {
    calendarId: `cal-${name}`,
    channelId: `ch-${name}`,
    subscriptionId: `sub-${name}`,
    resourceId: provider === 'calendly' ? OWNER : `res-${name}`,
    secret: randomBytes(32).toString('base64url'),
  };
  await ctx.pool.query(
    `INSERT INTO connections (connection_id, pro_id, provider, status, endpoint, key_id, sealed_credentials, created_at)
     VALUES ($1, 'pro-flood', $2, 'active', 'provider.example', 'k1', 'unused', now())`,
    [`conn-${name}`, provider],
  );
  const sealed = cipher.seal(s.secret, pushSecrets.boundTo(s.calendarId));
  await ctx.pool.query(
    `INSERT INTO push_subscriptions (calendar_id, connection_id, provider, channel_id, pending_channel_id,
       provider_subscription_id, resource_id, key_id, sealed_token, expires_at, next_action_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + interval '3 days', now() + interval '2 days')`,
    [
      s.calendarId,
      `conn-${name}`,
      provider,
      opening ? null : s.channelId,
      opening ? s.channelId : null,
      opening ? null : s.subscriptionId,
      opening && provider !== 'calendly' ? null : s.resourceId,
      sealed.keyId,
      sealed.ciphertext,
    ],
  );
  return s;
}

const post = async (
  path: string,
  correlationId: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> => {
  const answer = await fetch(`${base}/webhooks/${path}`, {
    method: 'POST',
    headers: { 'x-correlation-id': correlationId, 'content-type': 'application/json', ...headers },
    body,
  });
  await answer.arrayBuffer();
  return answer.status;
};

const google = (s: Subscription, id: string, change: Partial<Record<string, string>> = {}) =>
  post('google', id, {
    'x-goog-channel-id': s.channelId,
    'x-goog-channel-token': s.secret,
    'x-goog-resource-id': s.resourceId,
    'x-goog-resource-state': 'exists',
    ...change,
  } as Record<string, string>);

const microsoft = (subscriptionId: string, clientState: string, id: string) =>
  post(
    'microsoft',
    id,
    {},
    JSON.stringify({ value: [{ subscriptionId, clientState, changeType: 'updated' }] }),
  );

const calendly = (signingKey: string, id: string, owner = OWNER) => {
  const body = Buffer.from(
    JSON.stringify({
      event: 'invitee.created',
      created_at: new Date().toISOString(),
      created_by: owner,
      payload: {
        uri: `https://api.calendly.com/scheduled_events/e-${id}/invitees/i-${id}`,
        scheduled_event: {
          uri: `https://api.calendly.com/scheduled_events/e-${id}`,
          name: 'Intake',
          status: 'active',
          start_time: '2031-03-04T09:00:00Z',
          end_time: '2031-03-04T09:30:00Z',
        },
      },
    }),
  );
  const t = Math.floor(Date.now() / 1000);
  return post(
    'calendly',
    id,
    { 'calendly-webhook-signature': `t=${t},v1=${calendlySignature(signingKey, t, body)}` },
    body.toString(),
  );
};

/** Runs `jobs` with at most `width` at once, answering their results in order. */
async function inWaves<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width)
    results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

const notifiedCalendars = async () =>
  (
    await ctx.pool.query<{ calendar: string; n: string }>(
      `SELECT data->>'calendarId' AS calendar, count(*) AS n FROM events
        WHERE type = 'calendar.change_notified' GROUP BY 1`,
    )
  ).rows.reduce((all, r) => all.set(r.calendar, Number(r.n)), new Map<string, number>());

const queriesOf = (prefix: string) =>
  [...queriesBy].filter(([id]) => id.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  app = await createServiceApp(connectorService, {
    ...connectorEnv(ctx, keys),
    // The flood comes from one address; this test is about verification, not caller limits.
    WEBHOOK_RATE_LIMIT_PER_SECOND: '100000',
    WEBHOOK_RATE_LIMIT_BURST: '100000',
  });
  const pool = app.get<Pool>(PG_POOL);
  const count = () => {
    const id = currentContext()?.correlationId;
    if (id) queriesBy.set(id, (queriesBy.get(id) ?? 0) + 1);
  };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  Object.assign(pool, {
    query: (...args: unknown[]) => (count(), query(...args)),
    connect: (...args: unknown[]) => (count(), connect(...args)),
  });
  await app.listen(0, '127.0.0.1');
  base = await app.getUrl();
});
afterAll(async () => {
  await app?.close();
  for (const context of ['connector', 'sync'] as const)
    await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
  await ctx?.cleanup();
});

describe('webhooks under a flood of forged notifications', () => {
  it('refuse every forged one without a database query while every genuine one applies', async () => {
    // Given live subscriptions of each provider, a calendar for each genuine notification
    const each = (provider: 'google' | 'microsoft' | 'calendly') =>
      Promise.all(Array.from({ length: 50 }, () => subscribe(provider)));
    const [g, m, cs] = await Promise.all([each('google'), each('microsoft'), each('calendly')]);
    const c = cs[0]!;
    const wrong = () => randomBytes(32).toString('base64url');

    // When thousands of forged notifications arrive mixed with genuine ones
    const forged: Array<() => Promise<number>> = [];
    const genuine: Array<() => Promise<number>> = [];
    const expected = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const gs = g[i % 50]!;
      const ms = m[i % 50]!;
      const id = (kind: string) => `forged-${kind}-${i}`;
      forged.push(
        () => google(gs, id('g-token'), { 'x-goog-channel-token': wrong() }),
        () => google(gs, id('g-resource'), { 'x-goog-resource-id': 'res-other' }),
        () => google(gs, id('g-headers'), { 'x-goog-resource-state': 'bogus' }),
        () => microsoft(ms.subscriptionId, wrong(), id('m-state')),
        () => microsoft(ms.subscriptionId, '', id('m-empty')),
        () => calendly(wrong(), id('c-signature')),
        () => post('calendly', id('c-unsigned'), {}, JSON.stringify({ created_by: OWNER })),
      );
      // Names nobody subscribed: these wait a moment for an announcement before the refusal.
      if (i % 10 === 0)
        forged.push(
          () => google({ ...gs, channelId: `ch-${randomUUID()}` }, id('g-channel')),
          () => microsoft(`sub-${randomUUID()}`, wrong(), id('m-unknown')),
          () => calendly(c.secret, id('c-owner'), `${OWNER}-${i}`),
        );
      if (i % 6 === 0) {
        const [gg, gm, gc] = [g[i / 6]!, m[i / 6]!, cs[i / 6]!];
        for (const calendarId of [gg.calendarId, gm.calendarId, gc.calendarId])
          expected.set(calendarId, (expected.get(calendarId) ?? 0) + 1);
        genuine.push(
          () => google(gg, `genuine-g-${i}`),
          () => microsoft(gm.subscriptionId, gm.secret, `genuine-m-${i}`),
          () => calendly(gc.secret, `genuine-c-${i}`),
        );
      }
    }
    const jobs = forged.map((job, i) => ({ job, genuine: false, i }));
    genuine.forEach((job, i) => jobs.splice(i * 41, 0, { job, genuine: true, i }));
    const statuses = await inWaves(
      jobs.map(({ job }) => job),
      250,
    );

    // Then each forged one was refused, none of them asked the database anything,
    expect(forged.length).toBeGreaterThan(2_000);
    const forgedStatuses = statuses.filter((_, k) => !jobs[k]!.genuine);
    expect(new Set(forgedStatuses)).toEqual(new Set([401]));
    expect(queriesOf('forged-')).toBe(0);
    // and each genuine one was accepted and recorded (which the pool counter saw)
    const genuineStatuses = statuses.filter((_, k) => jobs[k]!.genuine);
    expect(genuineStatuses.filter((s) => s !== 200 && s !== 202)).toEqual([]);
    expect(queriesOf('genuine-')).toBeGreaterThanOrEqual(genuine.length);
    expect(await notifiedCalendars()).toEqual(expected);
  });

  it('accepts at once a channel or subscription another instance has just opened', async () => {
    // Given subscriptions written a moment ago by another instance (a Graph one still opening)
    const [g, m] = await Promise.all([subscribe('google', true), subscribe('microsoft', true)]);
    // When their first notifications arrive right away (Graph's under an id not stored yet)
    const statuses = await Promise.all([
      google({ ...g, resourceId: 'res-granted' }, 'opening-g'),
      microsoft(`sub-${randomUUID()}`, m.secret, 'opening-m'),
    ]);
    // Then both are applied
    expect(statuses).toEqual([200, 202]);
    const notified = await notifiedCalendars();
    expect(notified.get(g.calendarId)).toBe(1);
    expect(notified.get(m.calendarId)).toBe(1);
  });

  it('refuses a subscription once it is gone', async () => {
    // Given a Google channel that another instance then stops
    const g = await subscribe('google');
    expect(await google(g, 'before-stop')).toBe(200);
    await ctx.pool.query('DELETE FROM push_subscriptions WHERE calendar_id = $1', [g.calendarId]);
    // When its token comes again after the stop was announced
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt++)
      status = await google(g, `after-stop-${attempt}`);
    // Then it is refused
    expect(status).toBe(401);
  });
});
