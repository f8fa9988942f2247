import { spawn, type ChildProcess } from 'node:child_process';
import type { Context } from '@cs/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { BusNaming } from '@cs/contracts';
import {
  collectOutput,
  REPO_ROOT,
  spawnTs,
  waitForExit,
} from '../../libs/testing/src/child-process';
import { freePort } from '../../libs/testing/src/free-port';
import { serviceEnv } from '../support/service-env';
import { SCALE_PREFIX, SCALE_SCHEMAS, type ScaleService } from './scale-env';

export const SECRET = 'bench-secret-bench-secret-bench-secret!';

export interface RunningService {
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * One service as its own process on the scale data set's schema and prefix. With
 * BENCH_CPU_PROF=<folder> it writes a V8 CPU profile there when it stops.
 */
export async function startService(
  service: ScaleService,
  extra: Record<string, string> = {},
): Promise<RunningService> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF;
  const entry = `services/${service}/src/main.ts`;
  const env = {
    ...serviceEnv({ port, schema: SCALE_SCHEMAS[service], prefix: SCALE_PREFIX, secret: SECRET }),
    GRPC_PORT: String(await freePort()),
    ...extra,
  };
  // Node refuses --cpu-prof in NODE_OPTIONS: the flag goes on the command line.
  const child = profile
    ? spawn(
        process.execPath,
        ['--cpu-prof', `--cpu-prof-dir=${profile}`, '-r', '@swc-node/register', entry],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.run.json', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
    : spawnTs(entry, env);
  const output = collectOutput(child);
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${service} exited:\n${output()}`);
    const ready = await fetch(`${origin}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (i > 1_200) throw new Error(`${service} not ready after 2 minutes:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    origin,
    child,
    async stop() {
      child.kill('SIGTERM');
      await waitForExit(child);
    },
  };
}

/**
 * Waits until every consumer on `streams` whose name starts with one of `projections` (the
 * service's read models, e.g. `projection_schedules_`) exists and has had each message delivered
 * and acked, three polls in a row. Its other consumers, such as booking's check of each external
 * event, may still be busy.
 * Returns the seconds it took.
 */
export async function caughtUp(
  jsm: JetStreamManager,
  naming: BusNaming,
  streams: Context[],
  projections: string[],
): Promise<number> {
  const started = performance.now();
  for (let quiet = 0; quiet < 3;) {
    await new Promise((r) => setTimeout(r, 500));
    let open = 0;
    let seen = 0;
    for (const context of streams)
      for await (const info of jsm.consumers.list(naming.stream(context))) {
        if (!projections.some((name) => info.name.startsWith(name))) continue;
        seen++;
        open += info.num_pending + info.num_ack_pending;
      }
    quiet = seen > 0 && open === 0 ? quiet + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}
