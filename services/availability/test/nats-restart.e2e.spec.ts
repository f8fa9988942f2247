import type { INestApplication } from '@nestjs/common';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  createTestContext,
  DATABASE_URL,
  eventually,
  startNatsServer,
  TEST_JWT_SECRET,
  testPersonalDataEnv,
  type NatsServerHandle,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { availabilityService } from '../src/service';

let nats: NatsServerHandle;
let ctx: TestContext;
let app: INestApplication;
let token: string;

beforeAll(async () => {
  nats = await startNatsServer();
  ctx = await createTestContext({ streams: [], natsUrl: nats.url });
  app = await createServiceApp(availabilityService, {
    DATABASE_URL,
    NATS_URL: nats.url,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...testPersonalDataEnv(ctx.schema),
  });
  token = await signTestToken(TEST_JWT_SECRET, { sub: 'scheduler', roles: ['service'] });
});
afterAll(async () => {
  await app?.close();
  await ctx.cleanup();
  await nats.dispose();
});

const configure = (territoryId: string) =>
  request(app.getHttpServer())
    .put(`/v1/territories/${territoryId}`)
    .set('authorization', `Bearer ${token}`)
    .send({ timeZone: 'Europe/Amsterdam', holidayRegion: 'NL' })
    .expect(200);

const readModel = async () =>
  (
    await ctx.pool.query(
      'SELECT territory_id FROM proj_territories_territories ORDER BY territory_id',
    )
  ).rows.map((r) => r.territory_id as string);

describe('availability across a NATS restart', () => {
  it('keeps taking commands while NATS is down and publishes and projects every event once it is back', async () => {
    await configure('t-before');
    await eventually(async () => expect(await readModel()).toEqual(['t-before']));

    await nats.stop();
    await configure('t-during-1');
    await configure('t-during-2');
    await nats.restart();
    await configure('t-after');

    await eventually(
      async () =>
        expect(await readModel()).toEqual(['t-after', 't-before', 't-during-1', 't-during-2']),
      30_000,
    );
    const info = await ctx.jsm.streams.info(ctx.naming.stream('availability'));
    expect(info.state.messages).toBe(4);
    expect(Number((await ctx.pool.query('SELECT count(*) AS n FROM outbox')).rows[0].n)).toBe(0);
  });
});
