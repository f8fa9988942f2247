import type { INestApplication } from '@nestjs/common';
import {
  createTestContext,
  eventually,
  freePort,
  SmtpTestServer,
  type TestContext,
  ManualClock,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  confirmedBooking,
  listNotifications,
  putContact,
  serviceToken,
  startNotification,
} from './support/app';
import { ForeignEvents } from './support/foreign-events';

let ctx: TestContext;
let smtp: SmtpTestServer | undefined;
let port: number;
const apps: INestApplication[] = [];
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  port = await freePort();
  // Two instances on one database: they share the schedule and must never both send a row.
  for (let i = 0; i < 2; i++)
    apps.push(await startNotification(ctx, clock, { SMTP_URL: `smtp://127.0.0.1:${port}` }));
  bus = new ForeignEvents(ctx);
  await putContact(apps[0]!, 'pro', 'pro-1', {
    name: 'Anna',
    email: 'anna@pros.example',
    locale: 'en',
    timeZone: 'Europe/Amsterdam',
  });
  await putContact(apps[0]!, 'client', 'client-1', {
    name: 'Jan',
    email: 'jan@clients.example',
    locale: 'nl',
    timeZone: 'Europe/Amsterdam',
  });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await smtp?.stop();
  await ctx?.cleanup();
});

describe('delivery', () => {
  it('retries while the SMTP server is down and sends once it is back, recording each try as an event', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      confirmedBooking('d-1', '2027-03-10T13:00:00Z', '2027-03-10T13:45:00Z'),
      clock.now().toISOString(),
    );
    const failed = await eventually(async () => {
      const items = (await listNotifications(apps[0]!, { bookingId: 'd-1' })).filter(
        (n) => n.kind === 'invitation',
      );
      expect(items.map((n) => [n.status, n.attempts, n.nextAttemptAt])).toEqual([
        ['failed', 1, '2027-03-01T09:01:00.000Z'],
        ['failed', 1, '2027-03-01T09:01:00.000Z'],
      ]);
      return items;
    });

    smtp = await SmtpTestServer.start({ port });
    clock.advance(60_000);
    await eventually(async () => {
      const items = await listNotifications(apps[0]!, { bookingId: 'd-1' });
      expect(
        items.filter((n) => n.kind === 'invitation').map((n) => [n.status, n.attempts]),
      ).toEqual([
        ['sent', 2],
        ['sent', 2],
      ]);
    });
    expect(smtp.delivered).toHaveLength(2);

    const audit = await request(apps[1]!.getHttpServer())
      .get(`/v1/audit/streams/notification-${failed[0]!.id}`)
      .set('authorization', `Bearer ${await serviceToken(clock.now())}`)
      .expect(200);
    expect(
      (
        audit.body.events as Array<{ type: string; data: { final?: boolean; attempt?: number } }>
      ).map((e) => [e.type, e.data.attempt ?? null, e.data.final ?? null]),
    ).toEqual([
      ['notification.scheduled', null, null],
      ['notification.failed', 1, false],
      ['notification.sent', 2, null],
    ]);
  });

  it('sends every due reminder exactly once with two instances claiming from the same schedule', async () => {
    const bookings = Array.from({ length: 8 }, (_, i) => `d-many-${i}`);
    for (const [i, bookingId] of bookings.entries()) {
      const start = new Date(Date.parse('2027-03-20T08:00:00Z') + i * 3_600_000).toISOString();
      const end = new Date(Date.parse(start) + 1_800_000).toISOString();
      await bus.publish(
        'booking',
        'pro-schedule-pro-1',
        'booking.confirmed',
        confirmedBooking(bookingId, start, end),
        clock.now().toISOString(),
      );
    }
    await eventually(async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM notifications WHERE booking_id LIKE 'd-many-%' AND kind = 'invitation' AND status = 'sent'`,
      );
      expect(rows[0].n).toBe(16);
    });

    clock.set('2027-03-20T07:50:00Z');
    await eventually(async () => {
      const { rows } = await ctx.pool.query(
        `SELECT count(*)::int AS n FROM notifications
            WHERE booking_id LIKE 'd-many-%' AND kind = 'reminder' AND channel = 'email' AND status = 'sent'`,
      );
      // Every 24 h reminder, and the 2 h reminders of the two earliest appointments.
      expect(rows[0].n).toBe(10);
    }, 30_000);
    const reminderMails = smtp!.delivered.filter((m) => m.subject?.startsWith('Herinnering'));
    expect(reminderMails).toHaveLength(10);
    expect(new Set(reminderMails.map((m) => m.messageId)).size).toBe(10);
    const { rows } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'notification.sent'
          AND stream_id IN (SELECT 'notification-' || notification_id FROM notifications WHERE booking_id LIKE 'd-many-%')
        GROUP BY stream_id`,
    );
    expect(rows).toHaveLength(16 + 10);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
