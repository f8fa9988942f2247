import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectNats } from '@cs/eventing';
import { jetstreamManager } from '@nats-io/jetstream';
import { waitForExit } from './child-process';
import { freePort } from './free-port';

export interface NatsClusterHandle {
  /** Every server's client URL, comma-separated, as a service's `NATS_URL` lists them. */
  url: string;
  servers: ReadonlyArray<{ name: string; url: string; port: number }>;
  /** Stops one server (SIGKILL unless told): no lame duck, its Raft groups lose it mid-flight. */
  kill(serverIndex: number, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server if it runs, starts it on the same ports and store, waits until it is current. */
  restart(serverIndex: number): Promise<void>;
  /** Which server leads the stream now (after a kill, once a new leader is elected). */
  leaderOf(stream: string): Promise<number>;
  /**
   * The stream's leader as one server's monitoring port sees it, without a JetStream request
   * (which goes unanswered while there is no leader): undefined while it knows none.
   */
  leaderSeenBy(serverIndex: number, stream: string): Promise<string | undefined>;
  dispose(): Promise<void>;
}

interface Member {
  name: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  config: string;
  child?: ChildProcess;
}

const CLUSTER_SIZE = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function monitor<T>(member: Member, path: string): Promise<T | undefined> {
  const answer = await fetch(`http://127.0.0.1:${member.monitorPort}${path}`, {
    signal: AbortSignal.timeout(2_000),
  }).catch(() => undefined);
  if (!answer?.ok) return undefined;
  return (await answer.json()) as T;
}

/** JetStream answers only once this server knows a meta leader and has caught up with it. */
async function waitUntilCurrent(member: Member, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const jsz = await monitor<{ meta_cluster?: { leader?: string } }>(member, '/jsz');
    const healthy = await monitor<{ status?: string }>(member, '/healthz');
    if (jsz?.meta_cluster?.leader && healthy?.status === 'ok') return;
    await sleep(200);
  }
  throw new Error(`nats-server ${member.name} not current after ${timeoutMs} ms`);
}

/**
 * Three `nats-server` processes on loopback as one JetStream cluster, each with its own store,
 * for tests that kill servers under load the way a deployment loses them.
 */
export async function startNatsCluster(): Promise<NatsClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-nats-cluster-'));
  const members: Member[] = [];
  for (let i = 0; i < CLUSTER_SIZE; i++)
    members.push({
      name: `n${i}`,
      port: await freePort(),
      clusterPort: await freePort(),
      monitorPort: await freePort(),
      config: join(dir, `n${i}.conf`),
    });
  const routes = members.map((m) => `nats-route://127.0.0.1:${m.clusterPort}`).join(', ');
  for (const member of members) {
    const store = join(dir, member.name);
    mkdirSync(store);
    writeFileSync(
      member.config,
      [
        `server_name: ${member.name}`,
        `listen: 127.0.0.1:${member.port}`,
        `http: 127.0.0.1:${member.monitorPort}`,
        `jetstream { store_dir: "${store}" }`,
        `cluster { name: cs-test, listen: 127.0.0.1:${member.clusterPort}, routes: [${routes}] }`,
        '',
      ].join('\n'),
    );
  }

  const start = (member: Member) => {
    member.child = spawn('nats-server', ['-c', member.config], { stdio: 'ignore' });
  };
  const stop = async (member: Member, signal: NodeJS.Signals) => {
    const child = member.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  };
  const killAll = () => {
    for (const member of members) member.child?.kill('SIGKILL');
  };
  const dispose = async () => {
    process.removeListener('exit', killAll);
    await Promise.all(members.map((m) => stop(m, 'SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  };
  // A test runner that dies must not leave servers behind.
  process.once('exit', killAll);

  members.forEach(start);
  try {
    await Promise.all(members.map((m) => waitUntilCurrent(m)));
  } catch (error) {
    await dispose();
    throw error;
  }
  const servers = members.map((m) => ({
    name: m.name,
    url: `nats://127.0.0.1:${m.port}`,
    port: m.port,
  }));
  const url = servers.map((s) => s.url).join(',');
  const member = (index: number) => {
    const found = members[index];
    if (!found) throw new Error(`no nats-server ${index} in a cluster of ${CLUSTER_SIZE}`);
    return found;
  };
  return {
    url,
    servers,
    kill: (index, signal = 'SIGKILL') => stop(member(index), signal),
    async restart(index) {
      await stop(member(index), 'SIGTERM');
      start(member(index));
      await waitUntilCurrent(member(index));
    },
    async leaderOf(stream) {
      const nc = await connectNats({ natsUrl: url, name: 'cluster-leader-probe' });
      try {
        const jsm = await jetstreamManager(nc);
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          const info = await jsm.streams.info(stream).catch(() => undefined);
          const leader = members.findIndex((m) => m.name === info?.cluster?.leader);
          if (leader >= 0) return leader;
          await sleep(200);
        }
        throw new Error(`stream ${stream} has no leader after 30 s`);
      } finally {
        await nc.close();
      }
    },
    async leaderSeenBy(index, stream) {
      const jsz = await monitor<{
        account_details?: Array<{
          stream_detail?: Array<{ name: string; cluster?: { leader?: string } }>;
        }>;
      }>(member(index), '/jsz?accounts=true&streams=true');
      const found = (jsz?.account_details ?? [])
        .flatMap((account) => account.stream_detail ?? [])
        .find((detail) => detail.name === stream);
      return found?.cluster?.leader || undefined;
    },
    dispose,
  };
}
