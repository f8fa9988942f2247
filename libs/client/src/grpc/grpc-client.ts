import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import {
  type ChannelCredentials,
  type Client,
  credentials as grpcCredentials,
  loadPackageDefinition,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { availabilityService, type AvailabilityMethods } from '../generated/grpc/availability';
import { bookingService, type BookingMethods } from '../generated/grpc/booking';
import { DEFAULT_RETRY, type RetryNotice, type RetryPolicy, withRetries } from '../http/retry';
import { Session, type TokenSource } from '../http/session';

/** The contract's protos in this repository; a published copy passes its own `protoRoot`. */
export const PROTO_ROOT = resolve(__dirname, '../../../contracts/proto');

export interface GrpcClientOptions {
  /** `host:port`, e.g. `127.0.0.1:50054`. */
  address: string;
  token?: TokenSource;
  /** Default: plaintext, as the services listen. */
  credentials?: ChannelCredentials;
  protoRoot?: string;
  /** Calls answered `UNAVAILABLE` are tried again after `fallbackDelayMs` (`statuses` unused). */
  retry?: Partial<RetryPolicy>;
  onRetry?(notice: RetryNotice & { method: string }): void;
  /** Each try's deadline, in ms (default 20 s). */
  deadlineMs?: number;
  sleep?(ms: number): Promise<void>;
  newKey?(): string;
}

export interface GrpcCallOptions {
  idempotencyKey?: string;
  /** A version: the change applies only at it (`if-match`). */
  ifMatch?: number | string;
  token?: string;
}

type Unary<Request, Reply> = (request: Request, options?: GrpcCallOptions) => Promise<Reply>;

/** Promise-returning methods typed from the generated `…Methods` of a service. */
export type GrpcClient<Methods> = {
  [Name in keyof Methods]: Methods[Name] extends { request: infer Q; reply: infer R }
    ? Unary<Q, R>
    : never;
} & { close(): void };

interface ServiceSpec {
  protoFile: string;
  name: string;
  methods: readonly string[];
}

interface GrpcOutcome {
  error: ServiceError | null;
  reply: unknown;
}

type Callback = (error: ServiceError | null, reply: unknown) => void;
type RawMethod = (request: unknown, metadata: Metadata, options: object, done: Callback) => void;

function rawClient(spec: ServiceSpec, options: GrpcClientOptions): Client {
  const definition = loadSync(spec.protoFile, {
    includeDirs: [options.protoRoot ?? PROTO_ROOT],
    arrays: true,
    defaults: true,
    longs: String,
  });
  let found: unknown = loadPackageDefinition(definition);
  for (const part of spec.name.split('.')) found = (found as Record<string, unknown>)[part];
  const Service = found as new (address: string, credentials: ChannelCredentials) => Client;
  return new Service(options.address, options.credentials ?? grpcCredentials.createInsecure());
}

function grpcClient<Methods>(
  spec: ServiceSpec,
  commands: readonly string[],
  options: GrpcClientOptions,
): GrpcClient<Methods> {
  const raw = rawClient(spec, options) as unknown as Client & Record<string, RawMethod>;
  const session = new Session({ token: options.token });
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const newKey = options.newKey ?? randomUUID;
  const deadlineMs = options.deadlineMs ?? 20_000;

  const call = async (method: string, request: unknown, callOptions: GrpcCallOptions = {}) => {
    const metadata = new Metadata();
    const authorization = await session.authorization(callOptions.token);
    if (authorization) metadata.set('authorization', authorization);
    // Made once, so every retry carries the same key.
    if (commands.includes(method))
      metadata.set('idempotency-key', callOptions.idempotencyKey ?? newKey());
    if (callOptions.ifMatch !== undefined) metadata.set('if-match', String(callOptions.ifMatch));
    const once = () =>
      new Promise<GrpcOutcome>((done) =>
        raw[method]!.call(
          raw,
          request,
          metadata,
          // A deadline is a span from now; grpc-js wants it as a point in time.
          { deadline: performance.timeOrigin + performance.now() + deadlineMs },
          (error, reply) => done({ error, reply }),
        ),
      );
    const { result } = await withRetries<GrpcOutcome>(
      policy,
      async () => {
        const outcome = await once();
        if (outcome.error?.code === status.UNAVAILABLE)
          return { again: outcome, reason: 'UNAVAILABLE', retryAfterMs: undefined };
        return { final: outcome };
      },
      { sleep, onRetry: (notice) => options.onRetry?.({ ...notice, method }) },
    );
    if (result.error) throw result.error;
    return result.reply;
  };

  const client: Record<string, unknown> = { close: () => raw.close() };
  for (const method of spec.methods)
    client[method] = (request: unknown, callOptions?: GrpcCallOptions) =>
      call(method, request, callOptions);
  return client as GrpcClient<Methods>;
}

/** `cs.booking.v1.Booking`: `Create`, `Reschedule` and `Cancel` get an idempotency key each. */
export function bookingGrpcClient(options: GrpcClientOptions): GrpcClient<BookingMethods> {
  return grpcClient<BookingMethods>(bookingService, ['Create', 'Reschedule', 'Cancel'], options);
}

/** `cs.availability.v1.Availability`: reads only. */
export function availabilityGrpcClient(
  options: GrpcClientOptions,
): GrpcClient<AvailabilityMethods> {
  return grpcClient<AvailabilityMethods>(availabilityService, [], options);
}
