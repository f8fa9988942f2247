import type { INestApplication } from '@nestjs/common';
import { eventually, ManualClock, SmtpTestServer, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listNotifications, putContact } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Harness, jan, startHarness } from './support/harness';
import { type SmsApi } from './support/sms-api';

let harness: Harness;
let ctx: TestContext;
let smtp: SmtpTestServer;
let sms: SmsApi;
let app: INestApplication;
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));

beforeAll(async () => {
  harness = await startHarness(clock, {
    sms: true,
    env: { APP_URL: 'https://app.example' },
    contacts: [
      {
        kind: 'client',
        id: 'client-w1',
        person: jan,
      },
    ],
  });
  ({ ctx, smtp, app, bus } = harness);
  sms = harness.sms!;
});
afterAll(async () => {
  await harness?.stop();
});

const joined = (entryId: string, clientId: string) =>
  bus.publish('booking', `waitlist-${entryId}`, 'waitlist.joined', {
    entryId,
    serviceId: 'wound-care',
    proId: 'pro-w',
    territoryId: null,
    window: { from: '2027-03-01T00:00:00Z', to: '2027-03-31T00:00:00Z' },
    clientId,
  });

const offer = (entryId: string, offerId: string, start: string) => ({
  entryId,
  offerId,
  proId: 'pro-w',
  serviceId: 'wound-care',
  start,
  end: new Date(Date.parse(start) + 45 * 60_000).toISOString(),
  expiresAt: '2027-03-01T11:00:00Z',
});

const offerMade = (data: ReturnType<typeof offer>) =>
  bus.publish('booking', `waitlist-${data.entryId}`, 'waitlist.offer_made', data);

const mailsAbout = (offerId: string) =>
  smtp.delivered.filter((m) => m.text?.includes(`/offers/${offerId}`));

describe('waitlist offers', () => {
  it('tells the waiting client once, by email and SMS, in their language and zone, with a link to accept', async () => {
    await joined('e-1', 'client-w1');
    const first = offer('e-1', 'o-1', '2027-03-10T13:00:00Z');
    await offerMade(first);
    await offerMade(first);
    // A later offer on the same entry is handled after the repeat, so the repeat was applied.
    await offerMade(offer('e-1', 'o-2', '2027-03-11T13:00:00Z'));
    // Both offers are due at the same moment, so they may go out in either order.
    const textsAbout = (offerId: string) =>
      sms.received.filter((s) => s.body.includes(`/offers/${offerId}`));
    await eventually(async () => {
      for (const offerId of ['o-1', 'o-2']) {
        expect(mailsAbout(offerId)).toHaveLength(1);
        expect(textsAbout(offerId)).toHaveLength(1);
      }
    });

    const mails = mailsAbout('o-1');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelopeTo).toEqual(['jan@clients.example']);
    expect(mails[0]!.subject).toContain('Er is plek vrijgekomen');
    // 13:00 UTC is 14:00 in Amsterdam; the offer runs until 12:00 there.
    expect(mails[0]!.text).toContain('14:00 – 14:45 (Europe/Amsterdam)');
    expect(mails[0]!.text).toContain('geldt tot maandag 1 maart 2027 om 12:00');
    expect(mails[0]!.html).toContain('href="https://app.example/waitlist/e-1/offers/o-1"');
    expect(textsAbout('o-1').map((s) => s.to)).toEqual(['+31612345678']);

    await eventually(async () => {
      const { rows } = await ctx.pool.query(
        `SELECT dedupe_key, status FROM notifications WHERE dedupe_key LIKE 'waitlist-offer:o-1:%' ORDER BY 1`,
      );
      expect(rows).toEqual([
        { dedupe_key: 'waitlist-offer:o-1:email', status: 'sent' },
        { dedupe_key: 'waitlist-offer:o-1:sms', status: 'sent' },
      ]);
    });
  });

  it('withdraws the message when the offer expires or is accepted before it went out', async () => {
    // Without a contact yet, delivery fails and is retried a minute later.
    await joined('e-2', 'client-w2');
    await joined('e-3', 'client-w2');
    await offerMade(offer('e-2', 'o-3', '2027-03-12T13:00:00Z'));
    await offerMade(offer('e-3', 'o-4', '2027-03-13T13:00:00Z'));
    const pending = async () =>
      (await listNotifications(app, { proId: 'pro-w' })).filter((n) => n.status !== 'sent');
    await eventually(async () =>
      expect((await pending()).map((n) => n.status)).toEqual([
        'failed',
        'failed',
        'failed',
        'failed',
      ]),
    );

    await bus.publish('booking', 'waitlist-e-2', 'waitlist.offer_expired', {
      entryId: 'e-2',
      offerId: 'o-3',
      proId: 'pro-w',
    });
    await bus.publish('booking', 'waitlist-e-3', 'waitlist.offer_accepted', {
      entryId: 'e-3',
      offerId: 'o-4',
      proId: 'pro-w',
      bookingId: 'b-4',
    });
    await eventually(async () =>
      expect((await pending()).map((n) => n.status)).toEqual([
        'cancelled',
        'cancelled',
        'cancelled',
        'cancelled',
      ]),
    );

    await putContact(app, 'client', 'client-w2', {
      name: 'Mary',
      email: 'mary@clients.example',
      locale: 'en',
      timeZone: 'America/New_York',
    });
    clock.advance(120_000);
    // A later offer to the same client goes out, so the cancelled ones would have by now too.
    await offerMade(offer('e-2', 'o-5', '2027-03-14T13:00:00Z'));
    await eventually(async () => expect(mailsAbout('o-5')).toHaveLength(1));
    expect(mailsAbout('o-5')[0]!.text).toContain('09:00 – 09:45 (America/New_York)');
    expect([...mailsAbout('o-3'), ...mailsAbout('o-4')]).toEqual([]);
    const { rows } = await ctx.pool.query(
      `SELECT data->>'reason' AS reason, count(*)::int AS n FROM events
        WHERE type = 'notification.cancelled' AND data->>'reason' <> 'no_address'
        GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { reason: 'offer_accepted', n: 2 },
      { reason: 'offer_expired', n: 2 },
    ]);
  });

  it('does not send an offer that expired before it could go out, though its expiry was not yet heard of', async () => {
    await joined('e-4', 'client-w2');
    clock.advance(3 * 3_600_000);
    await offerMade(offer('e-4', 'o-6', '2027-03-20T13:00:00Z'));
    await eventually(async () => {
      const { rows } = await ctx.pool.query(
        `SELECT status FROM notifications WHERE dedupe_key LIKE 'waitlist-offer:o-6:%'`,
      );
      expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    });
    const { rows } = await ctx.pool.query(
      `SELECT count(*)::int AS n FROM events WHERE type = 'notification.cancelled'
         AND data->>'reason' = 'offer_expired' AND data->>'notificationId' IN
           (SELECT notification_id FROM notifications WHERE dedupe_key LIKE 'waitlist-offer:o-6:%')`,
    );
    expect(rows[0].n).toBe(2);
    expect(mailsAbout('o-6')).toEqual([]);
  });
});
