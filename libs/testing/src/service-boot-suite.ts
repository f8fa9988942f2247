import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectOutput, spawnTs, waitForExit } from './child-process';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { DATABASE_URL, NATS_URL } from './infrastructure';
import { createTestContext, type TestContext } from './test-context';
import { TEST_JWT_SECRET } from './test-jwt-secret';
import { testPersonalDataEnv } from './test-personal-data';

/**
 * Starts a service as its own process, the way the README does, and checks what every service
 * promises: it refuses bad configuration with a message naming the variable, comes up healthy
 * with docs and metrics, asks for a token, and shuts down cleanly on SIGTERM.
 */
export function serviceBootSuite(service: string, entry: string): void {
  describe(`${service} as a process`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ streams: [] });
    });
    afterAll(() => ctx.cleanup());

    let grpcPort = '';
    beforeAll(async () => {
      // Services with a gRPC side must not collide with a system running on this machine.
      grpcPort = String(await freePort());
    });

    const env = (overrides: Record<string, string | undefined>) => ({
      GRPC_PORT: grpcPort,
      DATABASE_URL,
      NATS_URL,
      DB_SCHEMA: ctx.schema,
      NATS_PREFIX: ctx.prefix,
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      // Booking and notification seal personal data; the others ignore these settings.
      ...testPersonalDataEnv(ctx.schema),
      LOG_LEVEL: 'warn',
      ...overrides,
    });

    it('exits with a message naming AUTH_JWT_SECRET when it is missing', async () => {
      const child = spawnTs(entry, env({ AUTH_JWT_SECRET: '' }));
      const output = collectOutput(child);
      expect(await waitForExit(child)).toBe(1);
      expect(output()).toContain('AUTH_JWT_SECRET: required (or set AUTH_JWKS_URL)');
    });

    it('exits with a message naming DATABASE_URL when the database cannot be reached', async () => {
      const port = await freePort();
      const child = spawnTs(
        entry,
        env({ DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/nowhere` }),
      );
      const output = collectOutput(child);
      expect(await waitForExit(child)).toBe(1);
      expect(output()).toContain(
        `cannot prepare PostgreSQL at DATABASE_URL=postgres://postgres:***@127.0.0.1:${port}/nowhere`,
      );
      expect(output()).not.toContain('hunter2');
    });

    it('comes up ready, serves docs and metrics, refuses anonymous calls and stops on SIGTERM', async () => {
      const port = await freePort();
      const child = spawnTs(entry, env({ PORT: String(port) }));
      const output = collectOutput(child);
      const base = `http://127.0.0.1:${port}`;
      try {
        const ready = await eventually(
          async () => {
            const response = await fetch(`${base}/health/ready`);
            expect(response.status).toBe(200);
            return response.json();
          },
          30_000,
          200,
        );
        expect(ready).toMatchObject({
          status: 'ok',
          info: { postgres: { status: 'up' }, nats: { status: 'up' } },
        });
        const docs = (await (await fetch(`${base}/docs-json`)).json()) as {
          info: { title: string };
        };
        expect(docs.info.title).toContain(service);
        expect(await (await fetch(`${base}/metrics`)).text()).toContain('cs_outbox_depth');
        const anonymous = await fetch(`${base}/v1/audit/streams/anything`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      } finally {
        child.kill('SIGTERM');
      }
      await waitForExit(child);
      // Nest closes everything on SIGTERM, then lets the signal end the process as usual.
      expect({ ending: [child.exitCode, child.signalCode], output: output() }).toMatchObject({
        ending: child.exitCode === 0 ? [0, null] : [null, 'SIGTERM'],
      });
    });
  });
}
