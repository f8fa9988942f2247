import { randomUUID } from 'node:crypto';
import { type Answer, type CalendarClient, type RetryNotice } from '@cs/client';
import type { System } from '@cs/testing';
import { systemClient } from './client';
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

/**
 * A steady, bounded load: clients that read a Pro's free slots and book one of them, each
 * booking with an `Idempotency-Key` repeated on every retry, paced so the machine is not the
 * bottleneck. The client package retries (any 5xx, 429, no answer; for a minute of waiting) and
 * every retry is counted by its reason, so a test can say which errors were seen.
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
  private readonly api: CalendarClient;

  constructor(
    system: System,
    private readonly clients: readonly BookingClient[],
    private readonly pros: readonly string[],
    private readonly days: readonly string[],
    private readonly limits: { bookings: number; pauseMs: number },
  ) {
    this.api = systemClient(system, {
      retry: {
        attempts: Number.MAX_SAFE_INTEGER,
        budgetMs: 60_000,
        fallbackDelayMs: 250,
        statuses: [429, 500, 502, 503, 504],
      },
      onRetry: (notice) => this.count(notice),
    });
  }

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
    const free = await this.api.availability.get('/v1/pros/{proId}/availability', {
      token: client.token,
      params: { proId },
      query: { serviceId: SERVICE, from: at(day, '00:00'), to: at(day, '23:59') },
    });
    this.finished(free);
    this.reads += 1;
    const slots = free.ok ? free.body.slots : [];
    if (slots.length === 0) return;
    const idempotencyKey = randomUUID();
    const answer = await this.api.booking.post('/v1/bookings', {
      token: client.token,
      idempotencyKey,
      body: {
        serviceId: SERVICE,
        proId,
        start: pick(slots).start,
        client: { clientId: client.clientId, timeZone: 'Europe/Amsterdam', locale: 'en' },
        flexibility: { allowAutoReschedule: Math.random() < 0.5 },
      },
    });
    this.finished(answer);
    if (answer.ok && answer.status === 201)
      this.booked.push({
        bookingId: answer.body.bookingId,
        proId,
        clientId: client.clientId,
        idempotencyKey,
      });
    // Another client, or the Pro's own calendar, took the slot since it was read.
    else if (answer.status === 409 || answer.status === 422) this.taken += 1;
  }

  private count(notice: RetryNotice & { service: string; method: string }): void {
    this.retries.set(notice.reason, (this.retries.get(notice.reason) ?? 0) + 1);
    if (!RETRYABLE.includes(notice.reason))
      this.strange.push(`${notice.reason} ${notice.method} ${notice.service} since ${this.phase}`);
  }

  /** Counts every try of a request and files an answer no client should get. */
  private finished(answer: Answer<unknown>): void {
    this.requests += answer.attempts;
    if (!answer.ok && answer.exhausted) this.unanswered.push(answer.call);
    else if (![200, 201, 409, 422].includes(answer.status))
      this.unexpected.push(`${answer.call}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
