import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp, signTestToken } from '@cs/platform';
import { createTestContext, TEST_JWT_SECRET, type TestContext } from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectorService } from '../src/service';
import { connectorEnv } from './support/connector-app';

/** The feed once refused whole at connect: a BOM, a blank line, LF endings, one VEVENT without DTSTART. */
const BROKEN = [
  '\uFEFFBEGIN:VCALENDAR',
  'VERSION:2.0',
  'X-WR-CALNAME:Club',
  '',
  'BEGIN:VEVENT',
  'UID:training@club',
  'DTSTART:20261201T180000Z',
  'DURATION:PT1H',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:no-start@club',
  'SUMMARY:Party',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\n');

let ctx: TestContext;
let app: INestApplication;
let feed: Server;
let base: string;
let pro: string;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  feed = createServer((req, res) => {
    if (req.url === '/page') return res.writeHead(200).end('<html><body>Sign in</body></html>');
    res.writeHead(200, { 'content-type': 'text/calendar' }).end(BROKEN);
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(feed.address() as { port: number }).port}`;
  app = await createServiceApp(connectorService, {
    ...connectorEnv(ctx, `k1:${randomBytes(32).toString('base64')}`),
    ICS_ALLOW_PRIVATE_ADDRESSES: 'true',
  });
  pro = await signTestToken(TEST_JWT_SECRET, { sub: 'u-1', roles: ['pro'], proId: 'pro-1' });
});
afterAll(async () => {
  await app.close();
  feed.close();
  await ctx.cleanup();
});

const connect = (url: string) =>
  request(app.getHttpServer())
    .post('/v1/pros/pro-1/connections')
    .set('authorization', `Bearer ${pro}`)
    .send({ provider: 'ics', url });

describe('connecting a feed with broken events', () => {
  it('succeeds: the good events count, the broken ones are left to sync to report', async () => {
    const created = await connect(`${base}/club.ics`).expect(201);
    expect(created.body.calendars).toEqual([
      expect.objectContaining({ name: 'Club', writable: false }),
    ]);
  });

  it('refuses only a text with nothing of a calendar in it, naming the field in words of ours', async () => {
    const refused = await connect(`${base}/page`).expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'url', message: 'feed is not iCalendar (no BEGIN:VCALENDAR)' },
    ]);
    expect(JSON.stringify(refused.body)).not.toMatch(/TypeError|Cannot read|undefined/);
  });
});
