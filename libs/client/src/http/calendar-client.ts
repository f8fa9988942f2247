import { randomUUID } from 'node:crypto';
import * as availability from '../generated/openapi/availability';
import * as booking from '../generated/openapi/booking';
import * as connector from '../generated/openapi/connector';
import * as notification from '../generated/openapi/notification';
import * as sync from '../generated/openapi/sync';
import { type Answers } from './answers';
import { DEFAULT_RETRY, type RetryNotice, type RetryPolicy } from './retry';
import { ServiceClient } from './service-client';
import { Session, type TokenSource } from './session';

export const SERVICE_NAMES = [
  'connector',
  'sync',
  'availability',
  'booking',
  'notification',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Where each service listens when run on one machine (docs/api.md "Ports"). */
export const LOCAL_BASE_URLS: Record<ServiceName, string> = {
  connector: 'http://127.0.0.1:3101',
  sync: 'http://127.0.0.1:3102',
  availability: 'http://127.0.0.1:3103',
  booking: 'http://127.0.0.1:3104',
  notification: 'http://127.0.0.1:3105',
};

export interface CalendarClientOptions {
  /** Each service's base URL, or a function read before every try; default `LOCAL_BASE_URLS`. */
  baseUrls?: Partial<Record<ServiceName, string | (() => string)>>;
  token?: TokenSource;
  /** Send the last `Consistency-Token` seen on every read (`If-Consistent-With`). */
  followConsistency?: boolean;
  retry?: Partial<RetryPolicy>;
  /** Told of every retry, before its wait: to count them, or to log them. */
  onRetry?(notice: RetryNotice & { service: string; method: string; path: string }): void;
  /** Each try's limit, in ms (default 20 s). */
  timeoutMs?: number;
  /** How to wait between tries (tests pass one that does not). */
  sleep?(ms: number): Promise<void>;
  /** How idempotency keys are made (default a random UUID). */
  newKey?(): string;
  fetch?: typeof fetch;
  /** Sent on every request, before the call's own (`x-correlation-id`, say). */
  headers?: Record<string, string>;
}

const idempotent = [
  ...availability.idempotentOperations,
  ...booking.idempotentOperations,
  ...connector.idempotentOperations,
  ...notification.idempotentOperations,
  ...sync.idempotentOperations,
];

/** The five services' HTTP APIs under one token, retry policy and consistency session. */
export class CalendarClient {
  readonly session: Session;
  readonly availability: ServiceClient<availability.paths, Answers['availability']>;
  readonly booking: ServiceClient<booking.paths, Answers['booking']>;
  readonly connector: ServiceClient<connector.paths, Answers['connector']>;
  readonly notification: ServiceClient<notification.paths, Answers['notification']>;
  readonly sync: ServiceClient<sync.paths, Answers['sync']>;

  constructor(private readonly options: CalendarClientOptions = {}) {
    this.session = new Session({
      token: options.token,
      followConsistency: options.followConsistency,
    });
    this.availability = this.serviceClient('availability');
    this.booking = this.serviceClient('booking');
    this.connector = this.serviceClient('connector');
    this.notification = this.serviceClient('notification');
    this.sync = this.serviceClient('sync');
  }

  /** The same client for another caller: its own token and consistency session. */
  as(token: TokenSource): CalendarClient {
    return new CalendarClient({ ...this.options, token });
  }

  /** One aggregate's recorded history in one service: every service serves the same route. */
  audit(service: ServiceName, streamId: string) {
    const shared = this[service] as CalendarClient['booking'];
    return shared.get('/v1/audit/streams/{streamId}', { params: { streamId } });
  }

  private serviceClient<Paths, Known>(service: ServiceName): ServiceClient<Paths, Known> {
    const { options } = this;
    return new ServiceClient<Paths, Known>({
      service,
      baseUrl: options.baseUrls?.[service] ?? LOCAL_BASE_URLS[service],
      session: this.session,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      onRetry: options.onRetry,
      timeoutMs: options.timeoutMs ?? 20_000,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      newKey: options.newKey ?? randomUUID,
      idempotent,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      headers: options.headers ?? {},
    });
  }
}
