import type { ChildProcess } from 'node:child_process';
import { spawnTs, waitForExit } from '../child-process';

/** Output kept per service: enough to explain a failure, bounded for long fault runs. */
const OUTPUT_LIMIT = 200_000;

/**
 * One service as its own process on a fixed port, so that clients keep their URL when it is
 * killed and started again.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private log = '';
  private startCount = 0;
  private readyNow = false;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private env: Readonly<Record<string, string>>,
    readonly port: number,
  ) {}

  /** Variables changed from the next start on, as a deploy with a new setting changes them. */
  configure(changes: Readonly<Record<string, string>>): void {
    this.env = { ...this.env, ...changes };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ready since its last start and not killed since: what a load balancer would route to. */
  get ready(): boolean {
    return this.readyNow && this.running;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** How often the process was started, restarts included. */
  get starts(): number {
    return this.startCount;
  }

  /** Everything the service printed, across restarts (the tail, when it is long). */
  output(): string {
    return this.log;
  }

  /** The lines of its output that report an error (pino level 50 and up, or a thrown error). */
  errorLines(): string[] {
    return this.log
      .split('\n')
      .filter((line) => /"level":(50|60)\b|"level":"(error|fatal)"|\bError\b/.test(line));
  }

  /** Starts the process and waits until `/health/ready` answers 200 (PostgreSQL and NATS up). */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.startCount += 1;
    this.append(`--- ${this.name} start #${this.startCount} ---\n`);
    const child = spawnTs(this.entry, { ...this.env });
    this.child = child;
    child.stdout?.on('data', (chunk) => this.append(String(chunk)));
    child.stderr?.on('data', (chunk) => this.append(String(chunk)));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${this.name} exited while starting:\n${this.log.slice(-5_000)}`);
      const ready = await fetch(`${this.url}/health/ready`).catch(() => null);
      if (ready?.status === 200) {
        this.readyNow = true;
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.log.slice(-5_000)}`);
  }

  /** Sends the signal (SIGKILL unless told) and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.readyNow = false;
    if (!child || !this.running) return;
    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  }

  private append(text: string): void {
    this.log = (this.log + text).slice(-OUTPUT_LIMIT);
  }
}
