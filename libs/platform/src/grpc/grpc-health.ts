import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Server } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { NatsHealthIndicator } from '../health/nats.indicator';
import { PostgresHealthIndicator } from '../health/postgres.indicator';

/** How often readiness is checked again; probes of orchestrators come every few seconds. */
const GRPC_HEALTH_INTERVAL_MS = 2_000;

/**
 * `grpc.health.v1.Health` for a service's gRPC server: SERVING exactly when `/health/ready`
 * would answer 200 (PostgreSQL and NATS answer), for the server as a whole (`""`) and each of
 * its services; NOT_SERVING from the moment the service starts shutting down.
 */
@Injectable()
export class GrpcHealth implements BeforeApplicationShutdown {
  private readonly health = new HealthImplementation();
  private readonly services = new Set<string>(['']);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly postgres: PostgresHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  /** Adds the health service to `server` and keeps its statuses following readiness. */
  serve(server: Pick<Server, 'addService'>, services: readonly string[]): void {
    for (const service of services) this.services.add(service);
    this.set('NOT_SERVING');
    this.health.addToServer(server);
    void this.follow();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.set('NOT_SERVING');
  }

  private async follow(): Promise<void> {
    const checks = await Promise.all([this.postgres.check(), this.nats.check()]);
    if (this.stopped) return;
    const ready = checks.every((check) => Object.values(check).every((c) => c.status === 'up'));
    this.set(ready ? 'SERVING' : 'NOT_SERVING');
    this.timer = setTimeout(() => void this.follow(), GRPC_HEALTH_INTERVAL_MS);
    this.timer.unref();
  }

  private set(status: ServingStatus): void {
    for (const service of this.services) this.health.setStatus(service, status);
  }
}
