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
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGrpc } from '../src/infrastructure/grpc/grpc-server';
import { startBookingApp } from './support/booking-app';

let ctx: TestContext;
let app: INestApplication;
let url: string;
let health: HealthClient;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const port = await freePort();
  url = `127.0.0.1:${port}`;
  app = await startBookingApp(ctx, { GRPC_PORT: String(port) });
  await startGrpc(app);
  health = grpcHealthClient(url);
});
afterAll(async () => {
  health.close();
  await app.close();
  await ctx.cleanup();
});

const check = (service: string) =>
  new Promise<string | undefined>((resolve) =>
    health.Check({ service }, {}, (_error, answer) => resolve(answer?.status)),
  );

describe('booking gRPC server', () => {
  it('serves grpc.health.v1.Health, SERVING while PostgreSQL and NATS answer', async () => {
    await eventually(async () => expect(await check('')).toBe('SERVING'));
    expect(await check('cs.booking.v1.Booking')).toBe('SERVING');
  });

  it('lists its services through reflection', async () => {
    expect(await listGrpcServices(url)).toEqual(
      expect.arrayContaining(['cs.booking.v1.Booking', 'grpc.health.v1.Health']),
    );
  });
});
