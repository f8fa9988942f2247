/**
 * Webhooks under a flood: forged and genuine notifications per second, beside this machine's
 * floor, a bare Node HTTP server answering 200 to the same client in the same run.
 * Run: npm run bench:webhooks
 * The connector runs in this process on its own schema, with Google channels and Graph
 * subscriptions stored. Forged notifications (a wrong channel token, a wrong clientState, a
 * bad shape) are refused from memory; genuine ones record `calendar.change_notified`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialCipher, parseCredentialKeys } from '@cs/eventing';
import { createServiceApp } from '@cs/platform';
import { pushSecrets } from '../services/connector/src/infrastructure/push-subscriptions/push-subscription-store';
import { connectorService } from '../services/connector/src/service';
import { DATABASE_URL, NATS_URL } from '../libs/testing/src/infrastructure';
import { createTestContext } from '../libs/testing/src/test-context';

const REQUESTS = 4_000;
const CONCURRENCY = 64;
const keys = `k1:${randomBytes(32).toString('base64')}`;
const cipher = new CredentialCipher(parseCredentialKeys(keys));

type Send = (n: number) => Promise<Response>;

/** Requests per second for `REQUESTS` calls of `send`, `CONCURRENCY` at a time. */
async function rate(send: Send, expected: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const answer = await send(next++);
        await answer.arrayBuffer();
        if (answer.status !== expected)
          throw new Error(`expected ${expected}, got ${answer.status}`);
      }
    }),
  );
  return REQUESTS / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const bare = createServer((_, res) => res.end()).listen(0, '127.0.0.1');
  await new Promise((resolve) => bare.once('listening', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

  const ctx = await createTestContext({ streams: [] });
  const app = await createServiceApp(connectorService, {
    DATABASE_URL,
    NATS_URL,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
    CREDENTIALS_KEYS: keys,
    LOG_LEVEL: 'silent',
    WEBHOOK_RATE_LIMIT_PER_SECOND: '1000000',
    WEBHOOK_RATE_LIMIT_BURST: '1000000',
  });
  try {
    const secret = randomBytes(32).toString('base64url');
    // One calendar per concurrent caller: notifications of one calendar append to one stream.
    for (const provider of ['google', 'microsoft'])
      for (let i = 0; i < CONCURRENCY; i++) {
        const calendarId = `cal-${provider}-${i}`;
        const sealed = cipher.seal(secret, pushSecrets.boundTo(calendarId));
        await ctx.pool.query(
          `INSERT INTO connections (connection_id, pro_id, provider, status, endpoint, key_id, sealed_credentials, created_at)
           VALUES ($1, 'pro-bench', $2, 'active', 'provider.example', 'k1', 'unused', now())`,
          [`conn-${calendarId}`, provider],
        );
        await ctx.pool.query(
          `INSERT INTO push_subscriptions (calendar_id, connection_id, provider, channel_id, provider_subscription_id,
             resource_id, key_id, sealed_token, expires_at, next_action_at)
           VALUES ($1, $2, $3, $1, $1, 'res-bench', $4, $5, now() + interval '3 days', now() + interval '2 days')`,
          [calendarId, `conn-${calendarId}`, provider, sealed.keyId, sealed.ciphertext],
        );
      }
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    // The stored rows reach the instance's copy through its announcements.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const google = (token: string) => (n: number) =>
      fetch(`${url}/webhooks/google`, {
        method: 'POST',
        headers: {
          'x-goog-channel-id': `cal-google-${n % CONCURRENCY}`,
          'x-goog-channel-token': token,
          'x-goog-resource-id': 'res-bench',
          'x-goog-resource-state': 'exists',
        },
      });
    const graph = (clientState: string) => (n: number) =>
      fetch(`${url}/webhooks/microsoft`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          value: [{ subscriptionId: `cal-microsoft-${n % CONCURRENCY}`, clientState }],
        }),
      });
    const wrong = randomBytes(32).toString('base64url');

    const floor = await rate(() => fetch(bareUrl, { method: 'POST' }), 200);
    const rows: Array<[string, number]> = [
      ['bare Node HTTP server (floor)', floor],
      ['forged Google (wrong channel token)', await rate(google(wrong), 401)],
      ['forged Graph (wrong clientState)', await rate(graph(wrong), 401)],
      ['genuine Google', await rate(google(secret), 200)],
      ['genuine Graph', await rate(graph(secret), 202)],
    ];
    console.log(`${REQUESTS} requests each, ${CONCURRENCY} at a time, one client process\n`);
    console.log('what'.padEnd(40), 'req/s'.padStart(8), '  of floor');
    for (const [what, perSecond] of rows)
      console.log(
        what.padEnd(40),
        perSecond.toFixed(0).padStart(8),
        `  ${((perSecond / floor) * 100).toFixed(0).padStart(3)} %`,
      );
  } finally {
    await app.close();
    for (const context of ['connector', 'sync'] as const)
      await ctx.jsm.streams.delete(ctx.naming.stream(context)).catch(() => undefined);
    await ctx.cleanup();
    bare.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
