import type { INestApplication } from '@nestjs/common';
import {
  type EventDefinition,
  proSettingsReplaced,
  territorySettingsReplaced,
} from '@cs/contracts';
import { newId } from '@cs/eventing';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  createTestContext,
  DATABASE_URL,
  eventually,
  TEST_JWT_SECRET,
  type TestContext,
  testPersonalDataEnv,
} from '@cs/testing';
import { afterAll, beforeAll } from '@jest/globals';
import type { z } from 'zod';
import { bookingService } from '../../src/service';
import { hours, woundCare } from './domain-fixtures';
import { upcomingTuesday, wallClock } from './test-day';

/** The day the tests book on: ahead of the real clock the service books against. */
export const DAY = upcomingTuesday();
export const at = (time: string, day = DAY) => wallClock(day, time);
/** `at(time, day)` as the API answers it. */
export const utc = (time: string, day = DAY) => new Date(at(time, day)).toISOString();

export function startBookingApp(
  ctx: TestContext,
  env: Record<string, string> = {},
): Promise<INestApplication> {
  return createServiceApp(bookingService, {
    DATABASE_URL,
    NATS_URL: ctx.natsUrl,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...testPersonalDataEnv(ctx.schema),
    ...env,
  });
}

export const tokens = async () => ({
  service: await signTestToken(TEST_JWT_SECRET, { sub: 'scheduler', roles: ['service'] }),
  client: (clientId: string) =>
    signTestToken(TEST_JWT_SECRET, { sub: `user-${clientId}`, roles: ['client'], clientId }),
  pro: (proId: string) =>
    signTestToken(TEST_JWT_SECRET, { sub: `user-${proId}`, roles: ['pro'], proId }),
});

export type Tokens = Awaited<ReturnType<typeof tokens>>;

/** What a test file talks to; filled in before its first test runs. */
export interface BookingSuite {
  ctx: TestContext;
  app: INestApplication;
  auth: Tokens;
}

/**
 * Gives the calling test file its own schema and bus prefix, a running booking service that
 * knows these Pros, and tokens; closes both after the file's last test.
 */
export function useBookingApp(
  pros: Record<string, ProSettingsData>,
  env: Record<string, string> = {},
): BookingSuite {
  const suite = {} as BookingSuite;
  beforeAll(async () => {
    suite.ctx = await createTestContext({ streams: [] });
    suite.app = await startBookingApp(suite.ctx, env);
    suite.auth = await tokens();
    await seedPros(suite.ctx, pros);
  });
  afterAll(async () => {
    await suite.app.close();
    await suite.ctx.cleanup();
  });
  return suite;
}

const versions = new Map<string, number>();

/** Publishes an event as the availability service would: the booking service learns from the bus only. */
export async function publish<D extends EventDefinition>(
  ctx: TestContext,
  definition: D,
  streamId: string,
  data: z.infer<D['schema']>,
  proId?: string,
): Promise<string> {
  const now = new Date().toISOString();
  const envelope = {
    id: newId(),
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    streamId,
    streamVersion: (versions.get(streamId) ?? 0) + 1,
    occurredAt: now,
    recordedAt: now,
    correlationId: newId(),
    causationId: null,
    actor: { kind: 'service', id: 'test' },
    data,
  };
  versions.set(streamId, envelope.streamVersion);
  await ctx.js.publish(
    ctx.naming.subject(definition.context, definition.type, proId),
    JSON.stringify(envelope),
  );
  return envelope.id;
}

type ProSettingsData = z.infer<typeof proSettingsReplaced.schema>['settings'];

export const proSettings = (overrides: Partial<ProSettingsData> = {}): ProSettingsData => ({
  timeZone: 'Europe/Amsterdam',
  territoryId: 'nl-utrecht',
  homeLocation: null,
  services: [woundCare],
  weeklyHours: [hours(['MO', 'TU', 'WE', 'TH', 'FR'], '09:00', '17:00')],
  dateOverrides: [],
  minNoticeMinutes: 60,
  horizonDays: null,
  maxBookingsPerDay: null,
  slotStepMinutes: 15,
  worksOnHolidays: false,
  staleSourcePolicy: 'ignore',
  ...overrides,
});

/** Gives the booking service a territory and these Pros, and waits until it has projected them. */
export async function seedPros(
  ctx: TestContext,
  pros: Record<string, ProSettingsData>,
): Promise<void> {
  await publish(ctx, territorySettingsReplaced, 'territory-nl-utrecht', {
    territoryId: 'nl-utrecht',
    settings: {
      timeZone: 'Europe/Amsterdam',
      holidayRegion: 'NL',
      averageSpeedKmh: 40,
      detourFactor: 1.3,
      serviceRadiusKm: null,
      defaults: {
        minNoticeMinutes: null,
        horizonDays: null,
        maxBookingsPerDay: null,
        reminderOffsetsMinutes: null,
      },
    },
  });
  for (const [proId, settings] of Object.entries(pros)) {
    await publish(
      ctx,
      proSettingsReplaced,
      `pro-${proId}`,
      {
        proId,
        settings,
      },
      proId,
    );
  }
  await eventually(async () => {
    const { rows } = await ctx.pool.query(
      'SELECT count(*)::int AS n FROM proj_schedule_inputs_pros',
    );
    if (rows[0].n < Object.keys(pros).length) throw new Error('not projected yet');
  });
}

export const clientOf = (clientId: string) => ({
  clientId,
  name: 'Anna de Vries',
  email: 'anna@example.com',
  timeZone: 'Europe/Amsterdam',
});
