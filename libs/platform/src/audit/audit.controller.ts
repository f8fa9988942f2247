import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@cs/eventing';
import { Roles } from '../auth/roles.decorator';
import { ProblemException } from '../errors/problem';

/** The recorded history of one aggregate in this service, with causation, for support and audits. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly store: EventStore) {}

  @Get('streams/:streamId')
  @Roles('service')
  @ApiOperation({ summary: "An aggregate's events in order, with correlation and causation" })
  async stream(@Param('streamId') streamId: string) {
    const events = await this.store.readStream(streamId);
    if (events.length === 0) {
      throw new ProblemException({
        status: 404,
        type: 'not-found',
        detail: `no events in stream ${streamId}`,
      });
    }
    return { streamId, version: events.at(-1)!.streamVersion, events };
  }
}
