import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NATS_CONNECTION } from '@cs/eventing';
import { type NatsConnection } from '@nats-io/transport-node';
import { messageOf, PROBE_TIMEOUT_MS, withTimeout } from './with-timeout';

@Injectable()
export class NatsHealthIndicator {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'nats') {
    const indicator = this.health.check(key);
    if (this.nats.isClosed()) return indicator.down({ message: 'connection closed' });
    try {
      // A round trip proves the server still answers, not just that a socket is open.
      await withTimeout(this.nats.flush(), PROBE_TIMEOUT_MS, 'NATS');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: messageOf(error) });
    }
  }
}
