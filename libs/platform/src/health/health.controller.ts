import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { ProblemException } from '../errors/problem';
import { NatsHealthIndicator } from './nats.indicator';
import { PostgresHealthIndicator } from './postgres.indicator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  /** The process answers: restarting it would not help anything else. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to take traffic only while both the database and the bus answer. */
  @Get('ready')
  @HealthCheck()
  async ready() {
    try {
      return await this.health.check([() => this.postgres.check(), () => this.nats.check()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw new ProblemException({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        type: 'not-ready',
        title: 'Service not ready',
        detail: 'A dependency of this service is down.',
        extensions: { checks: (error.getResponse() as { details?: unknown }).details },
      });
    }
  }
}
