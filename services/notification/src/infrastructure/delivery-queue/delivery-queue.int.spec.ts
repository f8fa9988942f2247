import { randomUUID } from 'node:crypto';
import { systemClock } from '@cs/eventing';
import { createTestContext, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { notificationMigrations } from '../migrations';
import { DeliveryQueue, type NotificationRow } from './delivery-queue';

let ctx: TestContext;
const queue = new DeliveryQueue(systemClock);
const LEASE_MS = 60_000;

beforeAll(async () => {
  ctx = await createTestContext({ streams: [], migrations: notificationMigrations });
});
afterAll(() => ctx?.cleanup());
beforeEach(() => ctx.pool.query('TRUNCATE notifications'));

/** Makes due messages in this order, a millisecond apart; returns their ids. */
async function make(recipients: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  const madeFrom = Date.now() - 60_000;
  for (const [n, recipient] of recipients.entries()) {
    const id = randomUUID();
    ids.push(id);
    await ctx.pool.query(
      `INSERT INTO notifications (notification_id, dedupe_key, kind, channel, recipient_kind,
          recipient_id, status, scheduled_for, next_attempt_at, content, created_at)
       VALUES ($1, $1, 'alert', 'email', 'pro', $2, 'scheduled', $3, $3, '{}', $3)`,
      [id, recipient, new Date(madeFrom + n)],
    );
  }
  return ids;
}

const markSent = (row: NotificationRow) =>
  ctx.pool.query(
    `UPDATE notifications SET status = 'sent', next_attempt_at = NULL, lease_owner = NULL,
            lease_until = NULL WHERE notification_id = $1`,
    [row.notification_id],
  );

describe('claiming due notifications', () => {
  it('hands out one message per recipient at a time, oldest first, to claimers racing each other', async () => {
    const recipients = Array.from({ length: 90 }, (_, n) => `pro-${(n * 7 + (n >> 3)) % 5}`);
    const ids = await make(recipients);
    const sentTo = new Map<string, string[]>();
    const inHand = new Map<string, string>();
    let overlaps = 0;
    const claimer = async (owner: string) => {
      for (let idle = 0; idle < 3;) {
        const claimed = await queue.claimDue(ctx.pool, owner, LEASE_MS, 20);
        idle = claimed.length === 0 ? idle + 1 : 0;
        for (const row of claimed) {
          if (inHand.has(row.recipient_id)) overlaps++;
          inHand.set(row.recipient_id, owner);
        }
        await Promise.all(
          claimed.map(async (row) => {
            sentTo.set(row.recipient_id, [
              ...(sentTo.get(row.recipient_id) ?? []),
              row.notification_id,
            ]);
            inHand.delete(row.recipient_id);
            await markSent(row);
          }),
        );
      }
    };
    await Promise.all(['a', 'b', 'c'].map(claimer));

    expect(overlaps).toBe(0);
    for (const recipient of new Set(recipients))
      expect(sentTo.get(recipient)).toEqual(ids.filter((_, n) => recipients[n] === recipient));
  });

  it("gives a dead claimer's message to the next claimer once its lease runs out, before the recipient's later ones", async () => {
    const [first, second, other] = await make(['pro-1', 'pro-1', 'pro-2']);
    const dead = await queue.claimDue(ctx.pool, 'dead', 300, 20);
    expect(dead.map((r) => r.notification_id).sort()).toEqual([first, other].sort());

    // While the lease lasts, nobody else gets pro-1's mail, not even the message behind it.
    expect(await queue.claimDue(ctx.pool, 'alive', LEASE_MS, 20)).toEqual([]);
    await ctx.pool.query(
      `UPDATE notifications SET lease_until = clock_timestamp() - interval '1 ms'`,
    );

    const taken = await queue.claimDue(ctx.pool, 'alive', LEASE_MS, 20);
    expect(taken.map((r) => [r.notification_id, r.attempts]).sort()).toEqual(
      [
        [first, 2],
        [other, 2],
      ].sort(),
    );
    await markSent(taken.find((r) => r.notification_id === first)!);
    const next = await queue.claimDue(ctx.pool, 'alive', LEASE_MS, 20);
    expect(next.map((r) => r.notification_id)).toEqual([second]);
  });

  it("lets a recipient's later message go while an earlier one waits for its retry", async () => {
    const [first, second] = await make(['pro-1', 'pro-1']);
    await ctx.pool.query(
      `UPDATE notifications SET status = 'failed', next_attempt_at = now() + interval '1 hour'
        WHERE notification_id = $1`,
      [first],
    );
    const claimed = await queue.claimDue(ctx.pool, 'a', LEASE_MS, 20);
    expect(claimed.map((r) => r.notification_id)).toEqual([second]);
  });
});
