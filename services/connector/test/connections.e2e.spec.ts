import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  createTestContext,
  eventually,
  startCalDavServer,
  TEST_JWT_SECRET,
  type CalDavServerHandle,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CredentialCipher, parseCredentialKeys } from '@cs/eventing';
import { DataSource } from 'typeorm';
import { ConnectionRecord } from '../src/infrastructure/connections/connection.entity';
import { ConnectionStore } from '../src/infrastructure/connections/connection-store';
import { connectorService } from '../src/service';
import { connectorEnv } from './support/connector-app';
import { insertPushSubscription } from './support/push-rows';

const PASSWORD = 'correct-horse-battery-staple';
const key = () => randomBytes(32).toString('base64');
const k1 = key();
const k2 = key();

let ctx: TestContext;
let app: INestApplication;
let radicale: CalDavServerHandle;
let pro: string;
let otherPro: string;
let feed: Server;
let feedUrl: string;

const env = (keys: string) => ({
  ...connectorEnv(ctx, keys),
  CALDAV_ALLOW_PRIVATE_ADDRESSES: 'true',
});

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  radicale = await startCalDavServer('radicale', {
    credentials: { username: 'anna', password: PASSWORD },
  });
  await radicale.createCalendar('work', 'Work');
  feed = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/calendar' });
    res.end('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Club\r\nEND:VCALENDAR\r\n');
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(feed.address() as { port: number }).port}/club.ics?token=feed-secret`;
  app = await createServiceApp(connectorService, env(`k1:${k1}`));
  pro = await signTestToken(TEST_JWT_SECRET, { sub: 'u-1', roles: ['pro'], proId: 'pro-1' });
  otherPro = await signTestToken(TEST_JWT_SECRET, { sub: 'u-2', roles: ['pro'], proId: 'pro-2' });
});
afterAll(async () => {
  await app.close();
  await radicale.dispose();
  feed.close();
  await ctx.cleanup();
});

const connect = (body: object, token = pro) =>
  request(app.getHttpServer())
    .post('/v1/pros/pro-1/connections')
    .set('authorization', `Bearer ${token}`)
    .send(body);

describe('connections', () => {
  let connectionId: string;

  it('connects a CalDAV account: discovers its calendars, picks one write target, keeps no secret in sight', async () => {
    const response = await connect({
      provider: 'caldav',
      serverUrl: radicale.url,
      username: 'anna',
      password: PASSWORD,
    })
      .set('idempotency-key', 'connect-1')
      .expect(201);
    connectionId = response.body.connectionId;
    expect(response.body).toMatchObject({ provider: 'caldav', status: 'active' });
    const calendars = response.body.calendars as Array<{
      name: string;
      writeTarget: boolean;
      writable: boolean;
    }>;
    expect(calendars.map((c) => c.name).sort()).toEqual(['Personal', 'Work']);
    expect(calendars.filter((c) => c.writeTarget)).toHaveLength(1);
    expect(calendars.every((c) => c.writable)).toBe(true);

    const again = await connect({
      provider: 'caldav',
      serverUrl: radicale.url,
      username: 'anna',
      password: PASSWORD,
    })
      .set('idempotency-key', 'connect-1')
      .expect(201);
    expect(again.body.connectionId).toBe(connectionId);

    const audit = await request(app.getHttpServer())
      .get(`/v1/audit/streams/connection-${connectionId}`)
      .set(
        'authorization',
        `Bearer ${await signTestToken(TEST_JWT_SECRET, { sub: 's', roles: ['service'] })}`,
      )
      .expect(200);
    expect(audit.body.events.map((e: { type: string }) => e.type)).toEqual([
      'connection.created',
      'connection.calendars_changed',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
    const { rows } = await ctx.pool.query(`SELECT * FROM ${ctx.schema}.connections`);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(rows[0]).toMatchObject({ key_id: 'k1' });
  });

  it('refuses a wrong password with a 422 naming the field, and never echoes it', async () => {
    const response = await connect({
      provider: 'caldav',
      serverUrl: radicale.url,
      username: 'anna',
      password: 'not-the-password',
    }).expect(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect(JSON.stringify(response.body)).not.toContain('not-the-password');
  });

  it('lists the connections of the Pro only to the Pro, sync state unknown while sync is not running', async () => {
    const list = await request(app.getHttpServer())
      .get('/v1/pros/pro-1/connections')
      .set('authorization', `Bearer ${pro}`)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].calendars[0]).toMatchObject({ sync: null });
    expect(JSON.stringify(list.body)).not.toContain(PASSWORD);
    await request(app.getHttpServer())
      .get('/v1/pros/pro-1/connections')
      .set('authorization', `Bearer ${otherPro}`)
      .expect(403);
  });

  it('moves the write target: only one calendar of the Pro receives bookings', async () => {
    const list = await request(app.getHttpServer())
      .get('/v1/pros/pro-1/connections')
      .set('authorization', `Bearer ${pro}`);
    const other = list.body.items[0].calendars.find(
      (c: { writeTarget: boolean }) => !c.writeTarget,
    );
    const patched = await request(app.getHttpServer())
      .patch(`/v1/connections/${connectionId}/calendars/${other.calendarId}`)
      .set('authorization', `Bearer ${pro}`)
      .send({ writeTarget: true, allDayBlocks: false })
      .expect(200);
    expect(patched.body).toMatchObject({ writeTarget: true, allDayBlocks: false });
    const after = await request(app.getHttpServer())
      .get('/v1/pros/pro-1/connections')
      .set('authorization', `Bearer ${pro}`);
    const targets = after.body.items[0].calendars.filter(
      (c: { writeTarget: boolean }) => c.writeTarget,
    );
    expect(targets.map((c: { calendarId: string }) => c.calendarId)).toEqual([other.calendarId]);
    await request(app.getHttpServer())
      .patch(`/v1/connections/${connectionId}/calendars/${other.calendarId}`)
      .set('authorization', `Bearer ${otherPro}`)
      .send({ busySource: false })
      .expect(403);
  });

  it('refuses a feed on a private address unless configured for tests, and keeps its URL secret', async () => {
    const refused = await connect({ provider: 'ics', url: feedUrl }).expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'url', message: expect.stringMatching(/not public/) }),
    ]);
    const metadata = await connect({
      provider: 'ics',
      url: 'http://169.254.169.254/latest',
    }).expect(422);
    expect(metadata.body.errors[0].field).toBe('url');
    // Internal names are refused before any DNS lookup, whatever they would resolve to.
    for (const url of [
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://LOCALHOST./feed.ics',
      'webcal://printer.local/feed.ics',
    ]) {
      const named = await connect({ provider: 'ics', url }).expect(422);
      expect(named.headers['content-type']).toContain('application/problem+json');
      expect(named.body.errors).toEqual([
        expect.objectContaining({ field: 'url', message: expect.stringMatching(/internal name/) }),
      ]);
    }

    const permissive = await createServiceApp(connectorService, {
      ...env(`k1:${k1}`),
      ICS_ALLOW_PRIVATE_ADDRESSES: 'true',
    });
    try {
      const created = await request(permissive.getHttpServer())
        .post('/v1/pros/pro-1/connections')
        .set('authorization', `Bearer ${pro}`)
        .send({ provider: 'ics', url: feedUrl })
        .expect(201);
      expect(created.body.calendars).toEqual([
        expect.objectContaining({ name: 'Club', writable: false, writeTarget: false }),
      ]);
      expect(JSON.stringify(created.body)).not.toContain('feed-secret');
    } finally {
      await permissive.close();
    }
  });

  it('re-seals every credential with a new key at start; the old key can then be dropped', async () => {
    const rotatedApp = await createServiceApp(connectorService, env(`k2:${k2},k1:${k1}`));
    await rotatedApp.close();
    const { rows } = await ctx.pool.query<{ key_id: string }>(
      `SELECT key_id FROM ${ctx.schema}.connections WHERE removed_at IS NULL`,
    );
    expect(rows.map((r) => r.key_id)).toEqual(rows.map(() => 'k2'));
    const store = new ConnectionStore(
      app.get(DataSource).getRepository(ConnectionRecord),
      new CredentialCipher(parseCredentialKeys(`k2:${k2}`)),
    );
    expect(await store.credentials(connectionId)).toMatchObject({ password: PASSWORD });
  });

  it('re-seals push channel secrets too: webhooks still verify once the old keys are dropped', async () => {
    const channel = {
      calendarId: 'cal-pushed',
      connectionId,
      provider: 'google' as const,
      channelId: 'ch-rotated',
      subscriptionId: 'ch-rotated',
      resourceId: 'res-rotated',
      secret: randomBytes(32).toString('base64url'),
    };
    await insertPushSubscription(
      ctx,
      new CredentialCipher(parseCredentialKeys(`k1:${k1}`)),
      channel,
    );
    // Sealed with a key nobody has any more: it does not stop the start, a renewal replaces it.
    const lost = {
      ...channel,
      calendarId: 'cal-lost',
      channelId: 'ch-lost',
      subscriptionId: 'ch-lost',
    };
    await insertPushSubscription(
      ctx,
      new CredentialCipher(parseCredentialKeys(`k0:${key()}`)),
      lost,
    );
    const notification = (token: string) => ({
      'X-Goog-Channel-ID': channel.channelId,
      'X-Goog-Channel-Token': token,
      'X-Goog-Resource-ID': channel.resourceId,
      'X-Goog-Resource-State': 'sync',
    });
    const k3 = key();
    const rotatedApp = await createServiceApp(connectorService, env(`k3:${k3},k2:${k2},k1:${k1}`));
    await rotatedApp.close();
    const { rows } = await ctx.pool.query<{
      calendar_id: string;
      key_id: string;
      sealed_token: string;
    }>('SELECT calendar_id, key_id, sealed_token FROM push_subscriptions ORDER BY calendar_id');
    expect(rows.map((r) => [r.calendar_id, r.key_id])).toEqual([
      ['cal-lost', 'k0'],
      ['cal-pushed', 'k3'],
    ]);
    expect(JSON.stringify(rows)).not.toContain(channel.secret);

    const withoutOldKeys = await createServiceApp(connectorService, env(`k3:${k3}`));
    try {
      await request(withoutOldKeys.getHttpServer())
        .post('/webhooks/google')
        .set(notification(channel.secret))
        .expect(200);
      await request(withoutOldKeys.getHttpServer())
        .post('/webhooks/google')
        .set(notification(`${channel.secret.slice(0, -2)}xx`))
        .expect(401);
    } finally {
      await withoutOldKeys.close();
      await ctx.pool.query('DELETE FROM push_subscriptions WHERE connection_id = $1', [
        connectionId,
      ]);
    }
  });

  it('disconnects: the credentials are gone and the event says so', async () => {
    await request(app.getHttpServer())
      .delete(`/v1/connections/${connectionId}`)
      .set('authorization', `Bearer ${pro}`)
      .expect(204);
    const { rows } = await ctx.pool.query(
      `SELECT sealed_credentials FROM ${ctx.schema}.connections WHERE connection_id = $1`,
      [connectionId],
    );
    expect(rows[0].sealed_credentials).toBe('');
    await request(app.getHttpServer())
      .delete(`/v1/connections/${connectionId}`)
      .set('authorization', `Bearer ${pro}`)
      .expect(404);
  });

  it('answers 410 problem+json to a change whose connection a disconnect removed meanwhile', async () => {
    const created = await connect({
      provider: 'caldav',
      serverUrl: radicale.url,
      username: 'anna',
      password: PASSWORD,
    })
      .set('idempotency-key', 'connect-2')
      .expect(201);
    const id: string = created.body.connectionId;
    const calendar = created.body.calendars[0] as { calendarId: string; busySource: boolean };
    const stream = `connection-${id}`;
    // Both requests find the connection live, then queue on its stream: the disconnect first.
    const waitingOnStream = (count: number) =>
      eventually(async () => {
        const { rows } = await ctx.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
            AND objid::bigint = hashtext($1)::bigint & 4294967295`,
          [stream],
        );
        expect(rows[0]!.n).toBe(count);
      });
    const holder = await ctx.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', [stream]);
      const disconnect = request(app.getHttpServer())
        .delete(`/v1/connections/${id}`)
        .set('authorization', `Bearer ${pro}`)
        .then((r) => r);
      await waitingOnStream(1);
      const change = request(app.getHttpServer())
        .patch(`/v1/connections/${id}/calendars/${calendar.calendarId}`)
        .set('authorization', `Bearer ${pro}`)
        .send({ busySource: !calendar.busySource })
        .then((r) => r);
      await waitingOnStream(2);
      await holder.query('COMMIT');
      expect((await disconnect).status).toBe(204);
      const refused = await change;
      expect(refused.status).toBe(410);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        type: expect.stringMatching(/\/connection-removed$/),
        status: 410,
        detail: expect.stringMatching(/removed/),
      });
    } finally {
      holder.release();
    }
    const { rows } = await ctx.pool.query(
      `SELECT busy_source FROM ${ctx.schema}.connection_calendars WHERE calendar_id = $1`,
      [calendar.calendarId],
    );
    expect(rows[0].busy_source).toBe(calendar.busySource);
  });
});
