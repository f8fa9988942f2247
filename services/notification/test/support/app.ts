import type { INestApplication } from '@nestjs/common';
import { CLOCK, type Clock } from '@cs/eventing';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  DATABASE_URL,
  type ManualClock,
  NATS_URL,
  TEST_JWT_SECRET,
  type TestContext,
  testPersonalDataEnv,
} from '@cs/testing';
import request from 'supertest';
import { notificationService } from '../../src/service';

export function startNotification(
  ctx: TestContext,
  clock: ManualClock,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  return createServiceApp(
    notificationService,
    {
      DATABASE_URL,
      NATS_URL,
      DB_SCHEMA: ctx.schema,
      NATS_PREFIX: ctx.prefix,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      DISPATCH_INTERVAL_MS: '50',
      RETRY_BASE_MS: '60000',
      ...testPersonalDataEnv(ctx.schema),
      ...env,
    },
    { clock },
  );
}

/** A token issued at `now`: the service checks it on its own clock, which the tests move. */
export const serviceToken = (now = new Date()) =>
  signTestToken(
    TEST_JWT_SECRET,
    { sub: 'platform', roles: ['service'] },
    new Date(now.getTime() + 3_600_000),
    now,
  );

const tokenFor = (app: INestApplication) => serviceToken(app.get<Clock>(CLOCK).now());

export interface Person {
  name: string;
  email?: string;
  phone?: string;
  locale: string;
  timeZone: string;
  reminderOffsetsMinutes?: number[];
}

export async function putContact(
  app: INestApplication,
  kind: 'pro' | 'client',
  id: string,
  person: Person,
): Promise<void> {
  await request(app.getHttpServer())
    .put(`/v1/contacts/${kind}/${id}`)
    .set('authorization', `Bearer ${await tokenFor(app)}`)
    .send(person)
    .expect(200);
}

export interface ListedNotification {
  id: string;
  kind: string;
  channel: string;
  to: string | null;
  status: string;
  scheduledFor: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  recipient: { kind: string; id: string };
}

export async function listNotifications(
  app: INestApplication,
  query: { bookingId?: string; proId?: string },
): Promise<ListedNotification[]> {
  const response = await request(app.getHttpServer())
    .get('/v1/notifications')
    .query(query)
    .set('authorization', `Bearer ${await tokenFor(app)}`)
    .expect(200);
  return response.body.items as ListedNotification[];
}

/** A booking as the booking service announces it. */
export function confirmedBooking(
  bookingId: string,
  start: string,
  end: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    bookingId,
    proId: 'pro-1',
    serviceId: 'wound-care',
    start,
    end,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    client: { clientId: 'client-1', timeZone: 'Europe/Amsterdam', locale: 'nl-NL' },
    location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1, Utrecht' },
    priority: 'normal',
    override: null,
    ...overrides,
  };
}
