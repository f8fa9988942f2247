import { randomUUID } from 'node:crypto';
import { createTestContext, eventually, SmtpTestServer, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceToken } from './support/app';
import { type Instance, startInstances } from './support/instance';

let ctx: TestContext;
let smtp: SmtpTestServer;
let instances: Instance[] = [];

const PROS = ['pro-1', 'pro-2', 'pro-3', 'pro-4'];
const MESSAGES = 64;
const addressOf = (proId: string) => `${proId}@pros.example`;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  smtp = await SmtpTestServer.start();
  instances = await startInstances(ctx, 2, {
    SMTP_URL: smtp.url,
    DISPATCH_INTERVAL_MS: '20',
  });
  const token = await serviceToken();
  for (const proId of PROS) {
    const response = await fetch(`${instances[0]!.base}/v1/contacts/pro/${proId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: proId,
        email: addressOf(proId),
        locale: 'en',
        timeZone: 'Europe/Amsterdam',
      }),
    });
    expect(response.status).toBe(200);
  }
});
afterAll(async () => {
  for (const instance of instances) await instance.stop();
  await smtp?.stop();
  await ctx?.cleanup();
});

/**
 * Every message due at once, in one commit, so both instances find the same recipients' mail
 * waiting; made a millisecond apart in a fixed interleaving of the Pros.
 */
async function makeMessages(): Promise<Map<string, string[]>> {
  const made = new Map<string, string[]>(PROS.map((proId) => [addressOf(proId), []]));
  const madeFrom = Date.now() - 60_000;
  const values: unknown[] = [];
  const rows: string[] = [];
  for (let n = 0; n < MESSAGES; n++) {
    const proId = PROS[(n * 3 + Math.floor(n / 5)) % PROS.length]!;
    const id = randomUUID();
    made.get(addressOf(proId))!.push(`<${id}@notification.careservice>`);
    const at = new Date(madeFrom + n);
    const content = { template: 'reauth_required', connectionId: `conn-${n}`, reason: 'revoked' };
    const p = values.length;
    rows.push(
      `($${p + 1}, $${p + 2}, 'alert', 'email', NULL, $${p + 3}, 'pro', $${p + 3}, 'scheduled', $${p + 4}, $${p + 4}, $${p + 5}, $${p + 4})`,
    );
    values.push(id, `order-${n}`, proId, at, JSON.stringify(content));
  }
  await ctx.pool.query(
    `INSERT INTO notifications (notification_id, dedupe_key, kind, channel, booking_id, pro_id,
        recipient_kind, recipient_id, status, scheduled_for, next_attempt_at, content, created_at)
     VALUES ${rows.join(', ')}`,
    values,
  );
  return made;
}

describe('two instances as processes sending many messages to a few people', () => {
  it('delivers each recipient its messages once each, in the order they were made', async () => {
    const made = await makeMessages();
    // Once every row is recorded as sent, nothing is left to send: what arrived is all there is.
    await eventually(async () => {
      const { rows } = await ctx.pool.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM notifications GROUP BY status`,
      );
      expect(rows).toEqual([{ status: 'sent', n: MESSAGES }]);
    }, 45_000);

    for (const [address, messageIds] of made)
      expect({
        [address]: smtp.received
          .filter((m) => m.envelopeTo.includes(address))
          .map((m) => m.messageId),
      }).toEqual({ [address]: messageIds });
    expect(smtp.received).toHaveLength(MESSAGES);
    expect(smtp.delivered).toHaveLength(MESSAGES);
    // Both instances took part, so the order held across them, not just within one.
    expect(new Set(smtp.delivered.map((m) => m.heloName))).toEqual(
      new Set(instances.map((i) => i.heloName)),
    );
  });
});
