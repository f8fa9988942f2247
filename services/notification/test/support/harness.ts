import type { INestApplication } from '@nestjs/common';
import { createTestContext, type ManualClock, SmtpTestServer, type TestContext } from '@cs/testing';
import { type Person, putContact, startNotification } from './app';
import { ForeignEvents } from './foreign-events';
import { SmsApi } from './sms-api';

export interface Contact {
  kind: 'pro' | 'client';
  id: string;
  person: Person;
}

/** A Dutch client who can take SMS. */
export const jan: Person = {
  name: 'Jan',
  email: 'jan@clients.example',
  phone: '+31612345678',
  locale: 'nl-NL',
  timeZone: 'Europe/Amsterdam',
};

/** One notification service with a loopback SMTP server (and SMS API), its bus and its people. */
export interface Harness {
  ctx: TestContext;
  smtp: SmtpTestServer;
  sms: SmsApi | null;
  app: INestApplication;
  bus: ForeignEvents;
  stop(): Promise<void>;
}

export async function startHarness(
  clock: ManualClock,
  options: { env?: Record<string, string>; sms?: boolean; contacts?: Contact[] } = {},
): Promise<Harness> {
  const ctx = await createTestContext({ streams: [] });
  const smtp = await SmtpTestServer.start();
  const sms = options.sms ? await SmsApi.start() : null;
  const app = await startNotification(ctx, clock, {
    SMTP_URL: smtp.url,
    ...(sms
      ? {
          SMS_API_URL: sms.url,
          SMS_ACCOUNT_SID: 'AC1',
          SMS_AUTH_TOKEN: 'token',
          SMS_FROM: '+3197010000000',
        }
      : {}),
    ...options.env,
  });
  for (const { kind, id, person } of options.contacts ?? [])
    await putContact(app, kind, id, person);
  return {
    ctx,
    smtp,
    sms,
    app,
    bus: new ForeignEvents(ctx),
    async stop() {
      await app.close();
      await smtp.stop();
      await sms?.stop();
      await ctx.cleanup();
    },
  };
}
