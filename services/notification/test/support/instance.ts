import { type ChildProcess } from 'node:child_process';
import {
  collectOutput,
  DATABASE_URL,
  eventually,
  freePort,
  NATS_URL,
  spawnTs,
  TEST_JWT_SECRET,
  type TestContext,
  testPersonalDataEnv,
  waitForExit,
} from '@cs/testing';
import { hostname } from 'node:os';

/** One notification service running as its own process, on the system clock. */
export interface Instance {
  child: ChildProcess;
  base: string;
  /** The EHLO name it sends mail under, as the dispatcher names itself. */
  heloName: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startInstance(
  ctx: TestContext,
  env: Record<string, string>,
): Promise<Instance> {
  const port = await freePort();
  const child = spawnTs('services/notification/src/main.ts', {
    DATABASE_URL,
    NATS_URL,
    DB_SCHEMA: ctx.schema,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    ...testPersonalDataEnv(ctx.schema),
    ...env,
  });
  const output = collectOutput(child);
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`instance exited early:\n${output()}`);
      const response = await fetch(`${base}/health/ready`);
      if (response.status !== 200) throw new Error(`not ready: ${response.status}`);
    },
    30_000,
    200,
  );
  return {
    child,
    base,
    heloName: `notification-${child.pid}.${hostname()}`,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await waitForExit(child);
    },
  };
}

/** Several instances on one schema, started one after the other. */
export async function startInstances(
  ctx: TestContext,
  count: number,
  env: Record<string, string>,
): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) instances.push(await startInstance(ctx, env));
  return instances;
}
