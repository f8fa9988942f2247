import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, METRICS_REGISTRY, NATS_CONNECTION, PG_POOL, systemClock } from '@cs/eventing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { Registry } from 'prom-client';

export const TEST_DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_NATS_SERVERS = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export interface InfrastructureOptions {
  databaseUrl?: string;
  /** Hand over a connection already closed to see readiness fail. */
  closeNats?: boolean;
}

@Injectable()
class InfrastructureShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
    if (!this.nats.isClosed()) await this.nats.close();
  }
}

/** Stands in for EventingModule in these tests: the same tokens, real connections. */
@Module({})
export class TestInfrastructureModule {
  static forRoot(options: InfrastructureOptions = {}): DynamicModule {
    return {
      module: TestInfrastructureModule,
      global: true,
      providers: [
        {
          provide: PG_POOL,
          useFactory: () =>
            new Pool({
              connectionString: options.databaseUrl ?? TEST_DATABASE_URL,
              connectionTimeoutMillis: 1_000,
            }),
        },
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            const nats = await connect({ servers: TEST_NATS_SERVERS });
            if (options.closeNats) await nats.close();
            return nats;
          },
        },
        { provide: METRICS_REGISTRY, useFactory: () => new Registry() },
        { provide: CLOCK, useValue: systemClock },
        InfrastructureShutdown,
      ],
      exports: [PG_POOL, NATS_CONNECTION, METRICS_REGISTRY, CLOCK],
    };
  }
}
