import { randomUUID } from 'node:crypto';
import type { System, SystemServiceName } from '@cs/testing';
import { at, SERVICE } from './scenario';
import type { Booked, BookingClient } from './traffic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** What a client may see during a fault and retry with the same request: the API's retryable answers. */
export const RETRYABLE = [
  'connection refused or reset',
  '503 with Retry-After',
  '429 with Retry-After',
];

interface Reply {
  status: number;
  body: Record<string, unknown>;
  /** Why the request should be repeated, or undefined when the answer is final. */
  retry?: string;
}

/**
 * A steady, bounded load: clients that read a Pro's free slots and book one of them, each
 * booking with an `Idempotency-Key` repeated on every retry, paced so the machine is not the
 * bottleneck. Every retry is counted by its reason, so a test can say which errors were seen.
 */
export class SteadyLoad {
  readonly booked: Booked[] = [];
  readonly retries = new Map<string, number>();
  /** Each retry that is not among `RETRYABLE`: the request and what the test was doing then. */
  readonly strange: string[] = [];
  /** What the test is doing now (a fault it injects), for `strange`. */
  phase = 'steady';
  /** Final answers no client should get (anything but 200/201, a taken slot 409 or a 422). */
  readonly unexpected: string[] = [];
  /** Requests still without a final answer after a minute of retries. */
  readonly unanswered: string[] = [];
  requests = 0;
  reads = 0;
  taken = 0;
  private stopping = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly system: System,
    private readonly clients: readonly BookingClient[],
    private readonly pros: readonly string[],
    private readonly days: readonly string[],
    private readonly limits: { bookings: number; pauseMs: number },
  ) {}

  get retried(): number {
    return [...this.retries.values()].reduce((a, b) => a + b, 0);
  }

  start(concurrency: number): void {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Stops starting requests and waits until every one under way has its final answer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (!this.stopping && this.booked.length + this.taken < this.limits.bookings) {
      await this.bookAFreeSlot();
      await sleep(this.limits.pauseMs * (0.5 + Math.random()));
    }
  }

  private async bookAFreeSlot(): Promise<void> {
    const client = pick(this.clients);
    const proId = pick(this.pros);
    const day = pick(this.days);
    const free = await this.final('availability', 'GET', {
      path: `/v1/pros/${proId}/availability?serviceId=${SERVICE}&from=${at(day, '00:00')}&to=${at(day, '23:59')}`,
      token: client.token,
    });
    this.reads += 1;
    const slots = (free?.body.slots ?? []) as Array<{ start: string }>;
    if (slots.length === 0) return;
    const idempotencyKey = randomUUID();
    const answer = await this.final('booking', 'POST', {
      path: '/v1/bookings',
      token: client.token,
      headers: { 'idempotency-key': idempotencyKey },
      body: {
        serviceId: SERVICE,
        proId,
        start: pick(slots).start,
        client: { clientId: client.clientId, timeZone: 'Europe/Amsterdam', locale: 'en' },
        flexibility: { allowAutoReschedule: Math.random() < 0.5 },
      },
    });
    if (answer?.status === 201)
      this.booked.push({
        bookingId: String(answer.body.bookingId),
        proId,
        clientId: client.clientId,
        idempotencyKey,
      });
    // Another client, or the Pro's own calendar, took the slot since it was read.
    else if (answer?.status === 409 || answer?.status === 422) this.taken += 1;
  }

  /** Sends until the answer is final (the same request, key included), for at most a minute. */
  private async final(
    service: SystemServiceName,
    method: string,
    request: { path: string; token: string; headers?: Record<string, string>; body?: unknown },
  ): Promise<Reply | undefined> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      this.requests += 1;
      const reply = await this.send(service, method, request);
      if (!reply.retry) {
        if (![200, 201, 409, 422].includes(reply.status))
          this.unexpected.push(
            `${method} ${service}: ${reply.status} ${JSON.stringify(reply.body)}`,
          );
        return reply;
      }
      this.retries.set(reply.retry, (this.retries.get(reply.retry) ?? 0) + 1);
      if (!RETRYABLE.includes(reply.retry))
        this.strange.push(`${reply.retry} ${method} ${service} since ${this.phase}`);
      await sleep(250);
    }
    this.unanswered.push(`${method} ${service}${request.path}`);
    return undefined;
  }

  private async send(
    service: SystemServiceName,
    method: string,
    request: { path: string; token: string; headers?: Record<string, string>; body?: unknown },
  ): Promise<Reply> {
    try {
      const response = await fetch(`${this.system.url(service)}${request.path}`, {
        method,
        headers: {
          authorization: `Bearer ${request.token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const status = response.status;
      if (status < 500 && status !== 429) return { status, body };
      const after = response.headers.get('retry-after') === null ? '' : ' with Retry-After';
      return { status, body, retry: `${status}${after}` };
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : '';
      return { status: 0, body: {}, retry: reason || 'connection refused or reset' };
    }
  }
}
