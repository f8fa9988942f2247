import { randomUUID } from 'node:crypto';
import { type CalendarClient } from '@cs/client';
import { type CalDavServerHandle, type System } from '@cs/testing';
import { systemClient } from './client';
import { at, externalEvent, SERVICE } from './scenario';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Quarter hours a 45-minute visit can start at inside 08:00–18:00 UTC. */
const STARTS = Array.from({ length: 37 }, (_, i) => {
  const minutes = 8 * 60 + i * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});

export interface Booked {
  bookingId: string;
  proId: string;
  clientId: string;
  idempotencyKey: string;
}

export interface BookingClient {
  clientId: string;
  token: string;
}

/**
 * Clients booking at random through the client package, each request with an `Idempotency-Key`
 * and retried with the same key while the booking service, its database or the network is away
 * (any 5xx, no answer), for a minute of waiting. A request is finished only by a definite answer,
 * so every booking that was made is known.
 */
export class BookingTraffic {
  readonly booked: Booked[] = [];
  readonly refused: number[] = [];
  readonly unexpected: string[] = [];
  /** Requests that got no definite answer while retried for a minute. */
  readonly unanswered: string[] = [];
  retries = 0;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly api: CalendarClient;

  constructor(
    system: System,
    private readonly clients: readonly BookingClient[],
    private readonly pros: readonly string[],
    private readonly days: readonly string[],
  ) {
    this.api = systemClient(system, {
      retry: {
        attempts: Number.MAX_SAFE_INTEGER,
        budgetMs: 60_000,
        fallbackDelayMs: 250,
        statuses: [429, 500, 502, 503, 504],
      },
      onRetry: () => (this.retries += 1),
    });
  }

  start(concurrency: number): void {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Stops asking for new bookings and waits until every request under way has its answer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.bookOnce();
      await sleep(50 + Math.random() * 150);
    }
  }

  private async bookOnce(): Promise<void> {
    const client = pick(this.clients);
    const proId = pick(this.pros);
    const idempotencyKey = randomUUID();
    const body = {
      serviceId: SERVICE,
      proId,
      start: at(pick(this.days), pick(STARTS)),
      client: { clientId: client.clientId, timeZone: 'Europe/Amsterdam', locale: 'en' },
      flexibility: { allowAutoReschedule: Math.random() < 0.5 },
    };
    const answer = await this.api.booking.post('/v1/bookings', {
      token: client.token,
      body,
      idempotencyKey,
    });
    if (answer.ok && answer.status === 201)
      this.booked.push({
        bookingId: answer.body.bookingId,
        proId,
        clientId: client.clientId,
        idempotencyKey,
      });
    else if (!answer.ok && answer.exhausted) this.unanswered.push(idempotencyKey);
    else if (answer.status === 409 || answer.status === 422) this.refused.push(answer.status);
    else this.unexpected.push(`${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

export interface ProCalendar {
  proId: string;
  caldav: CalDavServerHandle;
}

/**
 * The Pros using their own calendar apps meanwhile: appointments added, moved and deleted with
 * plain CalDAV requests; some clash with bookings, which the system must then resolve.
 */
export class CalendarTraffic {
  changes = 0;
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly existing: Array<{ calendar: ProCalendar; url: string }> = [];

  constructor(
    private readonly calendars: readonly ProCalendar[],
    private readonly days: readonly string[],
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.changeOnce();
      this.changes += 1;
      await sleep(400 + Math.random() * 400);
    }
  }

  private async changeOnce(): Promise<void> {
    const roll = Math.random();
    if (roll < 0.15 && this.existing.length > 0) {
      const [gone] = this.existing.splice(Math.floor(Math.random() * this.existing.length), 1);
      await gone!.calendar.caldav.remove(gone!.url);
      return;
    }
    const moving = roll < 0.35 && this.existing.length > 0 ? pick(this.existing) : undefined;
    const calendar = moving?.calendar ?? pick(this.calendars);
    const uid = moving
      ? decodeURIComponent(
          moving.url
            .split('/')
            .at(-1)!
            .replace(/\.ics$/, ''),
        )
      : `ext-${randomUUID()}`;
    const url = moving?.url ?? `${calendar.caldav.calendarUrl}${encodeURIComponent(uid)}.ics`;
    const start = Date.parse(at(pick(this.days), pick(STARTS)));
    const minutes = pick([30, 45, 60]);
    await calendar.caldav.put(
      url,
      externalEvent(
        uid,
        new Date(start).toISOString(),
        new Date(start + minutes * 60_000).toISOString(),
      ),
    );
    if (!moving) this.existing.push({ calendar, url });
  }
}
