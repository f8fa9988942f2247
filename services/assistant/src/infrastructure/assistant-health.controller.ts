import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProblemException, Public } from '@cs/platform';
import { Upstream } from './upstream';

/** The assistant has no database or bus of its own: it is ready when the services it calls are. */
@ApiTags('health')
@Public()
@Controller('health')
export class AssistantHealthController {
  constructor(private readonly upstream: Upstream) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const [availability, booking] = await Promise.all([
      this.upstream.ready('availability'),
      this.upstream.ready('booking'),
    ]);
    const details = {
      availability: { status: availability ? 'up' : 'down' },
      booking: { status: booking ? 'up' : 'down' },
    };
    if (availability && booking) return { status: 'ok', details };
    throw new ProblemException({
      status: HttpStatus.SERVICE_UNAVAILABLE,
      type: 'not-ready',
      title: 'Service not ready',
      detail: 'A service the tools call is not ready.',
      extensions: { checks: details },
    });
  }
}
