import { createTestContext, eventually, SmtpTestServer, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { confirmedBooking, serviceToken } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Instance, startInstances } from './support/instance';

let ctx: TestContext;
let smtp: SmtpTestServer;
let bus: ForeignEvents;
let instances: Instance[] = [];

const HOUR = 3_600_000;
const LEASE_MS = 4_000;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  smtp = await SmtpTestServer.start();
  instances = await startInstances(ctx, 2, {
    SMTP_URL: smtp.url,
    DISPATCH_INTERVAL_MS: '100',
    DISPATCH_LEASE_MS: String(LEASE_MS),
  });
  bus = new ForeignEvents(ctx);
  const token = await serviceToken();
  const people = [
    ['pro', 'pro-1', { name: 'Anna', email: 'anna@pros.example' }],
    ['client', 'client-1', { name: 'Jan', email: 'jan@clients.example' }],
    ['pro', 'pro-2', { name: 'Bea', email: 'bea@pros.example' }],
    ['client', 'client-2', { name: 'Kees', email: 'kees@clients.example' }],
  ] as const;
  for (const [kind, id, person] of people) {
    const response = await fetch(`${instances[0]!.base}/v1/contacts/${kind}/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...person, locale: 'nl', timeZone: 'Europe/Amsterdam' }),
    });
    expect(response.status).toBe(200);
  }
});
afterAll(async () => {
  for (const instance of instances) await instance.stop();
  await smtp?.stop();
  await ctx?.cleanup();
});

/** Booked three days ago for an hour from now: both reminders and the invitations are due at once. */
const publishBooking = (bookingId: string, n: number) => {
  const start = Date.now() + HOUR;
  return bus.publish(
    'booking',
    `pro-schedule-pro-${n}`,
    'booking.confirmed',
    confirmedBooking(
      bookingId,
      new Date(start).toISOString(),
      new Date(start + HOUR).toISOString(),
      {
        proId: `pro-${n}`,
        client: { clientId: `client-${n}`, timeZone: 'Europe/Amsterdam', locale: 'nl-NL' },
      },
    ),
    new Date(Date.now() - 72 * HOUR).toISOString(),
  );
};

const heldBy = async (count: number) =>
  eventually(async () => {
    const held = [...new Set(smtp.held)];
    expect(held).toHaveLength(count);
    return held;
  }, 30_000);

describe('two instances as processes, one killed mid-send', () => {
  it('delivers every reminder and invitation exactly once; those caught in flight are resent by the survivor under the same Message-ID', async () => {
    smtp.pause();
    await publishBooking('k-1', 1);
    const [firstSender] = await heldBy(1);
    // The first sender is stuck in its batch, so the next booking (for two other people: the
    // first two's mail stays with the instance holding it) can only go to the other one.
    await publishBooking('k-2', 2);
    const senders = await heldBy(2);
    const victim = instances.find((i) => i.heloName === firstSender)!;
    const survivor = instances.find((i) => i.heloName !== firstSender)!;
    expect(senders.sort()).toEqual([victim.heloName, survivor.heloName].sort());

    victim.child.kill('SIGKILL');
    await eventually(async () => expect(victim.child.signalCode).toBe('SIGKILL'));
    smtp.resume();

    const emails = await eventually(async () => {
      const { rows } = await ctx.pool.query<{ notification_id: string; status: string }>(
        `SELECT notification_id, status FROM notifications WHERE channel = 'email' ORDER BY notification_id`,
      );
      // Two invitations (client and Pro) and two reminders per booking.
      expect(rows.map((r) => r.status)).toEqual(Array(8).fill('sent'));
      return rows;
    }, 45_000);

    const expected = emails.map((r) => `<${r.notification_id}@notification.careservice>`).sort();
    expect(smtp.delivered.map((m) => m.messageId).sort()).toEqual(expected);
    const reminders = smtp.delivered.filter((m) => m.subject?.startsWith('Herinnering'));
    expect(reminders).toHaveLength(4);

    // The messages in the victim's hands (one per recipient) never got their
    // acknowledgement: not delivered, and sent again by the survivor with the same Message-ID.
    const lost = smtp.received.filter((m) => !m.acknowledged);
    expect(lost).not.toHaveLength(0);
    for (const message of lost) {
      expect(message.heloName).toBe(victim.heloName);
      const resent = smtp.delivered.filter((m) => m.messageId === message.messageId);
      expect(resent.map((m) => m.heloName)).toEqual([survivor.heloName]);
    }

    // Each person still got their mail in the order it was made, the resent message first.
    const { rows: made } = await ctx.pool.query<{ notification_id: string; to_address: string }>(
      `SELECT notification_id, to_address FROM notifications WHERE channel = 'email'
        ORDER BY created_at, notification_id`,
    );
    for (const address of new Set(made.map((r) => r.to_address)))
      expect({
        [address]: smtp.delivered
          .filter((m) => m.envelopeTo.includes(address))
          .map((m) => m.messageId),
      }).toEqual({
        [address]: made
          .filter((r) => r.to_address === address)
          .map((r) => `<${r.notification_id}@notification.careservice>`),
      });

    const { rows: sent } = await ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'notification.sent' GROUP BY stream_id`,
    );
    expect(sent.map((r) => r.n)).toEqual(Array(8).fill(1));
  });
});
