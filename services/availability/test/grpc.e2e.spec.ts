import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { INestApplication } from '@nestjs/common';
import { createTestContext, eventually, freePort, type TestContext } from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AVAILABILITY_PROTO, startGrpc } from '../src/infrastructure/grpc/grpc-server';
import { startAvailability, tokens } from './support/app';
import { addDays, at, proSettings, territory, upcomingMonday } from './support/fixtures';

type Call = (
  body: object,
  metadata: Metadata,
  done: (error: ServiceError | null, answer: unknown) => void,
) => void;
interface AvailabilityClient {
  GetAvailability: Call;
  Search: Call;
  close(): void;
}

let ctx: TestContext;
let app: INestApplication;
let auth: Awaited<ReturnType<typeof tokens>>;
let client: AvailabilityClient;
const http = () => request(app.getHttpServer());
const monday = upcomingMonday();
const from = at(monday, '00:00');
const to = at(addDays(monday, 1), '00:00');

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const port = await freePort();
  app = await startAvailability(ctx, { GRPC_PORT: String(port) });
  await startGrpc(app);
  auth = await tokens();
  for (const [path, body] of [
    ['/v1/territories/nl-utrecht', territory],
    ['/v1/pros/pro-1', proSettings],
    [
      '/v1/pros/pro-2',
      { ...proSettings, weeklyHours: [{ days: ['MO'], start: '12:00', end: '15:00' }] },
    ],
  ] as const)
    await http().put(path).set('authorization', `Bearer ${auth.service}`).send(body).expect(200);
  // A client as another service would write it: the proto file, no Nest.
  const definition = loadPackageDefinition(
    loadSync(AVAILABILITY_PROTO, { arrays: true, defaults: true }),
  ) as unknown as {
    cs: {
      availability: {
        v1: { Availability: new (url: string, creds: unknown) => AvailabilityClient };
      };
    };
  };
  client = new definition.cs.availability.v1.Availability(
    `127.0.0.1:${port}`,
    credentials.createInsecure(),
  );
});
afterAll(async () => {
  client.close();
  await app.close();
  await ctx.cleanup();
});

const bearer = (token: string) => {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};
const call = (method: 'GetAvailability' | 'Search', body: object, metadata: Metadata) =>
  new Promise<unknown>((resolve, reject) =>
    client[method](body, metadata, (error, answer) => (error ? reject(error) : resolve(answer))),
  );
const failure = (method: 'GetAvailability' | 'Search', body: object, metadata: Metadata) =>
  call(method, body, metadata).then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: ServiceError) => error,
  );

describe('cs.availability.v1.Availability over gRPC', () => {
  it('GetAvailability answers what HTTP answers', async () => {
    const query = { serviceId: 'wound-care', from, to, timeZone: 'Asia/Kolkata' };
    const viaHttp = await eventually(async () => {
      const answer = await http()
        .get('/v1/pros/pro-1/availability')
        .query(query)
        .set('authorization', `Bearer ${auth.client}`)
        .expect(200);
      expect(answer.body.slots).toHaveLength(8);
      return answer.body;
    });
    const viaGrpc = await call(
      'GetAvailability',
      { proId: 'pro-1', ...query, location: { lat: 52.1, lng: 5.1 } },
      bearer(auth.client),
    );
    expect(viaGrpc).toEqual(viaHttp);
    expect(viaHttp.slots[0]).toEqual({
      start: `${monday}T09:00:00.000Z`,
      end: `${monday}T10:00:00.000Z`,
      localStart: `${monday}T14:30:00+05:30`,
      localEnd: `${monday}T15:30:00+05:30`,
    });
  });

  it('Search answers what HTTP answers, score reasons for services only', async () => {
    const body = { serviceId: 'wound-care', from, to, proIds: ['pro-1', 'pro-2'], limit: 5 };
    for (const token of [auth.service, auth.client]) {
      const viaHttp = await http()
        .post('/v1/availability/search')
        .set('authorization', `Bearer ${token}`)
        .send(body)
        .expect(200);
      // Through JSON, as HTTP's answer went: a score of -0 is 0 there.
      const viaGrpc = JSON.parse(JSON.stringify(await call('Search', body, bearer(token)))) as {
        suggestions: Array<{ parts: unknown[] }>;
      };
      expect(viaGrpc.suggestions).toHaveLength(5);
      // proto3 has no "left out": a list the client may not see arrives empty.
      const withParts = viaHttp.body.suggestions.map((s: { parts?: unknown[] }) => ({
        ...s,
        parts: s.parts ?? [],
      }));
      expect(viaGrpc).toEqual({ suggestions: withParts });
      expect(viaHttp.body.suggestions[0].parts !== undefined).toBe(token === auth.service);
    }
  });

  it('needs a valid token in metadata authorization', async () => {
    const body = { proId: 'pro-1', serviceId: 'wound-care', from, to };
    expect((await failure('GetAvailability', body, new Metadata())).code).toBe(
      status.UNAUTHENTICATED,
    );
    expect((await failure('GetAvailability', body, bearer('not-a-jwt'))).code).toBe(
      status.UNAUTHENTICATED,
    );
    const otherPro = await failure(
      'GetAvailability',
      { ...body, proId: 'pro-2' },
      bearer(auth.pro),
    );
    expect(otherPro.code).toBe(status.PERMISSION_DENIED);
  });

  it('names the bad field, and says when a Pro is unknown', async () => {
    const reversed = await failure(
      'GetAvailability',
      { proId: 'pro-1', serviceId: 'wound-care', from: to, to: from },
      bearer(auth.service),
    );
    expect(reversed.code).toBe(status.INVALID_ARGUMENT);
    expect(reversed.details).toContain('to: must be after from');
    const unknownService = await failure(
      'GetAvailability',
      { proId: 'pro-1', serviceId: 'massage', from, to },
      bearer(auth.service),
    );
    expect(unknownService.code).toBe(status.INVALID_ARGUMENT);
    expect(unknownService.details).toContain('serviceId');
    const nobody = await failure(
      'GetAvailability',
      { proId: 'nobody', serviceId: 'wound-care', from, to },
      bearer(auth.service),
    );
    expect(nobody.code).toBe(status.NOT_FOUND);
    const neither = await failure(
      'Search',
      { serviceId: 'wound-care', from, to },
      bearer(auth.service),
    );
    expect(neither.code).toBe(status.INVALID_ARGUMENT);
    expect(neither.details).toContain('territoryId');
  });
});
