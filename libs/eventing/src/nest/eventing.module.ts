import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BusNaming, type Context, eventRegistry } from '@cs/contracts';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { connectNats } from '../bus/nats';
import { CLOCK, type Clock, systemClock } from '../clock';
import { ensureStreams } from '../bus/streams';
import { DurableConsumer, type ConsumerDefinition } from '../consumers/durable-consumer';
import { EventStore } from '../event-store/event-store';
import type { Log } from '../log';
import { consumerMetrics } from '../consumers/consumer-metrics';
import { registerEventingMetrics } from '../metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { PersonalData } from '../personal-data/personal-data';
import { poolOf } from '../postgres/data-source';
import type { ProjectionDefinition } from '../projections/projection';
import { ProjectionRunner } from '../projections/projection-runner';
import { EVENTING_OPTIONS, METRICS_REGISTRY, NATS_CONNECTION, PG_POOL } from './tokens';

export interface EventingModuleOptions {
  /** The bounded context whose stream this service publishes to. */
  context: Context;
  /** Streams this service reads from; all are provisioned idempotently at start. */
  reads?: readonly Context[];
  /** For connections of their own (LISTEN); the pool itself is the DataSource's (databaseModule). */
  databaseUrl: string;
  schema: string;
  natsUrl: string;
  natsPrefix: string;
  replicas: number;
  duplicateWindowMs: number;
  storage?: 'file' | 'memory';
  /** Consumers' ack wait: how soon survivors get what a dead instance held. */
  ackWaitMs?: number;
  /** How long the relay waits for JetStream to store one event before it tries again. */
  publishTimeoutMs?: number;
  projections?: readonly ProjectionDefinition[];
  /** `PROJECTION_EPOCH`: raised, every projection of the service is built anew beside its model. */
  projectionEpoch?: number;
  consumers?: readonly ConsumerDefinition[];
  /** The service's clock, injected as `CLOCK`; tests pass one they can set. */
  clock?: Clock;
}

export const JETSTREAM = Symbol('JETSTREAM');

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message || error.name : String(error);

export const JETSTREAM_MANAGER = Symbol('JETSTREAM_MANAGER');

/** Starts the relay, consumers and projections once the app is up; drains them on shutdown. */
@Injectable()
export class EventingLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Eventing');
  readonly relay: OutboxRelay;
  readonly projections: ProjectionRunner[];
  readonly consumers: DurableConsumer[];

  constructor(
    @Inject(EVENTING_OPTIONS) private readonly options: EventingModuleOptions,
    @Inject(PG_POOL) pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly naming: BusNaming,
    moduleRef: ModuleRef,
  ) {
    const log: Log = (level, message, details) =>
      this.logger[level === 'info' ? 'log' : level]({ msg: message, ...details });
    const runtime = { pool, js, jsm, naming, log, metrics: consumerMetrics(registry) };
    this.relay = new OutboxRelay(pool, js, {
      lockName: options.schema,
      log,
      publishTimeoutMs: options.publishTimeoutMs,
    });
    const { ackWaitMs } = options;
    // The service's key store, if it has one (provided by its own module, after this one's).
    let personal: PersonalData | null | undefined;
    const personalData = () => {
      if (personal === undefined) {
        try {
          personal = moduleRef.get(PersonalData, { strict: false });
        } catch {
          personal = null;
        }
      }
      return personal ?? undefined;
    };
    this.projections = (options.projections ?? []).map(
      (p) =>
        new ProjectionRunner(p, runtime, {
          ackWaitMs,
          epoch: options.projectionEpoch,
          personal: personalData,
        }),
    );
    this.consumers = (options.consumers ?? []).map(
      (c) => new DurableConsumer({ ackWaitMs, ...c }, runtime),
    );
    registerEventingMetrics(registry, this.relay, () => [
      ...this.consumers,
      ...this.projections.flatMap((p) => p.liveConsumers()),
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    const contexts = [...new Set([this.options.context, ...(this.options.reads ?? [])])];
    await ensureStreams(this.jsm, this.naming, contexts, {
      replicas: this.options.replicas,
      duplicateWindowMs: this.options.duplicateWindowMs,
      storage: this.options.storage,
    });
    this.relay.start();
    for (const projection of this.projections) await projection.start();
    for (const consumer of this.consumers) await consumer.start();
  }

  // Before any module's shutdown hook: TypeORM's own closes the pool these still use, and Nest
  // gives no order among global modules' hooks.
  async beforeApplicationShutdown(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
    for (const projection of this.projections) await projection.stop();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}

/**
 * The event backbone for one service: its PostgreSQL schema (migrated at start), the event store
 * with outbox and relay, JetStream streams, durable consumers and projections.
 */
@Global()
@Module({})
export class EventingModule {
  static forRoot(options: EventingModuleOptions): DynamicModule {
    return {
      module: EventingModule,
      providers: [
        { provide: EVENTING_OPTIONS, useValue: options },
        // The DataSource's own pool (databaseModule): handlers, relay and consumers share it.
        { provide: PG_POOL, useFactory: poolOf, inject: [DataSource] },
        {
          provide: NATS_CONNECTION,
          useFactory: () =>
            connectNats({ natsUrl: options.natsUrl, name: `cs-${options.context}` }).catch(
              (error: unknown) => {
                throw new Error(
                  `cannot connect to NATS at NATS_URL=${options.natsUrl}: ${messageOf(error)}`,
                );
              },
            ),
        },
        {
          provide: JETSTREAM,
          useFactory: (nc: NatsConnection) => jetstream(nc),
          inject: [NATS_CONNECTION],
        },
        {
          provide: JETSTREAM_MANAGER,
          useFactory: (nc: NatsConnection) => jetstreamManager(nc),
          inject: [NATS_CONNECTION],
        },
        { provide: METRICS_REGISTRY, useFactory: () => new Registry() },
        { provide: BusNaming, useFactory: () => new BusNaming(options.natsPrefix) },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: EventStore,
          useFactory: (pool: Pool, naming: BusNaming, clock: Clock) =>
            new EventStore(pool, naming, eventRegistry, clock),
          inject: [PG_POOL, BusNaming, CLOCK],
        },
        EventingLifecycle,
      ],
      exports: [
        EVENTING_OPTIONS,
        PG_POOL,
        NATS_CONNECTION,
        JETSTREAM,
        JETSTREAM_MANAGER,
        METRICS_REGISTRY,
        BusNaming,
        CLOCK,
        EventStore,
        EventingLifecycle,
      ],
    };
  }
}
