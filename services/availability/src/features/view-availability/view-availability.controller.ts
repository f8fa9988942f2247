import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { availabilityParams } from '@cs/contracts';
import { CLOCK, type Clock } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles, parseOr400 } from '@cs/platform';
import { ProAvailability } from './pro-availability';
import { ConsistentScheduleRead } from '../../infrastructure/http/consistent-schedule-read';

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/availability')
export class ViewAvailabilityController {
  constructor(
    private readonly availability: ProAvailability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleRead()
  @ApiOperation({
    summary: "A Pro's free slots for one service, with each source calendar's freshness",
  })
  async view(
    @Param('proId') proId: string,
    @Query() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.availability.slots(principal, proId, optionsOf(raw, this.clock.now().getTime()));
  }
}

export function optionsOf(raw: Record<string, unknown>, now: number) {
  const q = parseOr400(availabilityParams, raw, 'query');
  return {
    serviceId: q.serviceId,
    range: { start: Date.parse(q.from), end: Date.parse(q.to) },
    now,
    emergency: q.emergency === 'true',
    clientLocation: q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : null,
    timeZone: q.timeZone,
  };
}
