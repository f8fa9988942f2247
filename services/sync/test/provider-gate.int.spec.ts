import { createPool } from '@cs/eventing';
import { createTestContext, DATABASE_URL, type TestContext } from '@cs/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type GateRules, ProviderGate } from '../src/infrastructure/limits/provider-gate';
import { syncMigrations } from '../src/infrastructure/migrations';

let ctx: TestContext;
/** A second pool stands for a second sync worker: the two share nothing but the database. */
let otherWorker: Pool;
const rules: GateRules = {
  account: { capacity: 10, perSecond: 1 },
  provider: { capacity: 15, perSecond: 1 },
  breaker: { threshold: 3, cooldownMs: 60_000 },
};

beforeAll(async () => {
  ctx = await createTestContext({ streams: [], migrations: syncMigrations });
  otherWorker = createPool({ databaseUrl: DATABASE_URL, schema: ctx.schema, max: 10 });
});
afterAll(async () => {
  await otherWorker.end();
  await ctx.cleanup();
});

describe('provider gate shared by sync workers', () => {
  it('two workers together never exceed one account’s burst', async () => {
    const gates = [new ProviderGate(ctx.pool, rules), new ProviderGate(otherWorker, rules)];
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => gates[i % 2]!.admit('caldav', 'conn-a')),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const admitted = answers.filter((a) => a.admitted).length;
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(10 + Math.ceil(elapsedSeconds * rules.account.perSecond));
    const refused = answers.find((a) => !a.admitted);
    expect(refused).toMatchObject({ admitted: false, reason: 'rate limit of the account' });
  });

  it('the provider’s bucket spans accounts, and a refusal spends no account token', async () => {
    const gate = new ProviderGate(otherWorker, rules);
    // conn-a took ~10 of the provider's 15; another account gets only what is left.
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await gate.admit('caldav', 'conn-b'));
    expect(answers.filter((a) => a.admitted).length).toBeLessThan(10);
    expect(answers.at(-1)).toMatchObject({ admitted: false, reason: 'rate limit of the provider' });
    const { rows } = await ctx.pool.query<{ tokens: number }>(
      `SELECT tokens FROM sync_rate_buckets WHERE key = 'account:conn-b'`,
    );
    expect(rows[0]!.tokens).toBeGreaterThan(rules.account.capacity - 10);
    expect(await new ProviderGate(ctx.pool, rules).admit('ics', 'conn-b')).toEqual({
      admitted: true,
    });
  });

  it("one worker's failures open the breaker for every worker", async () => {
    const first = new ProviderGate(ctx.pool, rules);
    const second = new ProviderGate(otherWorker, rules);
    await first.record('google', 'transient');
    await second.record('google', 'transient');
    expect((await second.admit('google', 'conn-c')).admitted).toBe(true);
    await first.record('google', 'rate_limited');
    expect(await second.admit('google', 'conn-c')).toMatchObject({
      admitted: false,
      reason: 'google circuit open',
    });
    expect((await second.admit('microsoft', 'conn-d')).admitted).toBe(true);
  });
});
