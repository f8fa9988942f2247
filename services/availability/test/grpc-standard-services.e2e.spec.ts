import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { INestApplication } from '@nestjs/common';
import {
  createTestContext,
  eventually,
  freePort,
  grpcHealthClient,
  type HealthClient,
  listGrpcServices,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SearchAvailability } from '../src/features/search-availability/search-availability';
import { AVAILABILITY_PROTO, startGrpc } from '../src/infrastructure/grpc/grpc-server';
import { ScheduleCache } from '../src/infrastructure/read-model/schedule-cache';
import { startAvailability, tokens } from './support/app';
import { addDays, at, proSettings, territory, upcomingMonday } from './support/fixtures';

interface SearchClient {
  Search(
    body: object,
    metadata: Metadata,
    options: { deadline: number },
    done: (error: ServiceError | null) => void,
  ): void;
  close(): void;
}

let ctx: TestContext;
let app: INestApplication;
let url: string;
let health: HealthClient;
let auth: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const port = await freePort();
  url = `127.0.0.1:${port}`;
  app = await startAvailability(ctx, { GRPC_PORT: String(port) });
  await startGrpc(app);
  auth = await tokens();
  for (const [path, body] of [
    ['/v1/territories/nl-utrecht', territory],
    ['/v1/pros/pro-1', proSettings],
    ['/v1/pros/pro-2', proSettings],
  ] as const)
    await request(app.getHttpServer())
      .put(path)
      .set('authorization', `Bearer ${auth.service}`)
      .send(body)
      .expect(200);
  health = grpcHealthClient(url);
});
afterAll(async () => {
  health.close();
  await app.close();
  await ctx.cleanup();
});

const check = (service: string) =>
  new Promise<{ error: ServiceError | null; status?: string }>((resolve) =>
    health.Check({ service }, {}, (error, answer) => resolve({ error, status: answer?.status })),
  );

describe('grpc.health.v1.Health', () => {
  it('answers SERVING for the server and its service once PostgreSQL and NATS answer', async () => {
    await eventually(async () => expect((await check('')).status).toBe('SERVING'));
    expect((await check('cs.availability.v1.Availability')).status).toBe('SERVING');
  });

  it('answers NOT_FOUND for a service the server does not have', async () => {
    expect((await check('cs.nothing.v1.Nothing')).error?.code).toBe(status.NOT_FOUND);
  });

  it('streams the status to a watcher', async () => {
    const watch = health.Watch({ service: 'cs.availability.v1.Availability' });
    const first = await new Promise<{ status: string }>((resolve) => watch.once('data', resolve));
    watch.on('error', () => undefined);
    watch.cancel();
    expect(first.status).toBe('SERVING');
  });
});

describe('server reflection', () => {
  it('lists the service and the health service, so grpcurl needs no proto files', async () => {
    const services = await listGrpcServices(url);
    expect(services).toEqual(
      expect.arrayContaining(['cs.availability.v1.Availability', 'grpc.health.v1.Health']),
    );
  });
});

describe('deadlines', () => {
  it('stops a search whose caller gave up, answering DEADLINE_EXCEEDED', async () => {
    // The first Pro's schedule is held until the caller has given up: the work outlasts any deadline.
    const cache = app.get(ScheduleCache);
    const read = cache.get.bind(cache);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const looked: string[] = [];
    cache.get = async (proId: string) => {
      looked.push(proId);
      await held;
      return read(proId);
    };
    const search = app.get(SearchAvailability);
    const suggest = search.suggest.bind(search);
    let searched!: Promise<unknown>;
    let signal: AbortSignal | undefined;
    search.suggest = (...args) => {
      signal = args[2];
      return (searched = suggest(...args));
    };
    try {
      const definition = loadPackageDefinition(loadSync(AVAILABILITY_PROTO)) as unknown as {
        cs: { availability: { v1: { Availability: new (u: string, c: unknown) => SearchClient } } };
      };
      const client = new definition.cs.availability.v1.Availability(
        url,
        credentials.createInsecure(),
      );
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${auth.service}`);
      const monday = upcomingMonday();
      const error = await new Promise<ServiceError | null>((resolve) =>
        client.Search(
          {
            serviceId: 'wound-care',
            from: at(monday, '00:00'),
            to: at(addDays(monday, 1), '00:00'),
            proIds: ['pro-1', 'pro-2'],
          },
          metadata,
          { deadline: Date.now() + 300 },
          resolve,
        ),
      );
      client.close();
      expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
      // The client gives up at once; the server hears of it a moment later.
      await eventually(async () => expect(signal?.aborted).toBe(true));
      release();
      await expect(searched).rejects.toThrow();
      // The second Pro was never looked at: the work stopped when the caller left.
      expect(looked).toEqual(['pro-1']);
    } finally {
      release();
      cache.get = read;
      search.suggest = suggest;
    }
  });
});
