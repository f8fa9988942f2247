import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { TEST_SECRET } from './support/test-app';

const FIXTURE = resolve(__dirname, 'support/main.fixture.ts');
const ROOT = resolve(__dirname, '../../..');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Run[] = [];

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const started: Run = { child, stdout: () => stdout, stderr: () => stderr, exited };
  running.push(started);
  return started;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('bootstrapService', () => {
  it('exits 1 with the config problem on stderr and no stack', async () => {
    const { exited, stderr, stdout } = run({ PORT: 'eighty' });
    expect(await exited).toEqual({ code: 1, signal: null });
    expect(stderr()).toBe(
      'Invalid configuration: PORT: must be a number; AUTH_JWT_SECRET: required (or set AUTH_JWKS_URL)\n',
    );
    expect(stdout()).toBe('');
  });

  it('listens on PORT, logs the URL, and shuts down on SIGTERM', async () => {
    const port = await freePort();
    const { child, stdout, exited } = run({ PORT: String(port), AUTH_JWT_SECRET: TEST_SECRET });
    await waitFor(() => stdout().includes('listening on'), 'the listening line');
    const line = stdout()
      .split('\n')
      .find((text) => text.includes('listening on'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      service: 'fixture',
      level: 'info',
      msg: `fixture listening on http://0.0.0.0:${port}`,
    });
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('forces the exit when shutdown outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const port = await freePort();
    const { child, stdout, exited } = run({
      PORT: String(port),
      AUTH_JWT_SECRET: TEST_SECRET,
      SHUTDOWN_TIMEOUT_MS: '300',
      FIXTURE_STALL_SHUTDOWN: '1',
    });
    await waitFor(() => stdout().includes('listening on'), 'the listening line');
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(stdout()).toContain('Shutdown did not finish within 300 ms');
  });
});
