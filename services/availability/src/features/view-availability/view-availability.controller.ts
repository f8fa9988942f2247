import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import { systemClock } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles, parseOr400 } from '@cs/platform';
import { z } from 'zod';
import { checkRange, geoParams, rangeParams } from '../../infrastructure/http/query-params';
import { ProAvailability } from './pro-availability';

/** The question's parameters, as HTTP query strings (gRPC hands them over in the same form). */
export const availabilityParams = checkRange(
  z
    .object({
      serviceId: id,
      ...rangeParams,
      timeZone: z.string().min(1).max(64).optional(),
      ...geoParams,
      emergency: z.enum(['true', 'false']).optional(),
    })
    .refine((q) => (q.lat === undefined) === (q.lng === undefined), {
      path: ['lng'],
      message: 'lat and lng go together',
    }),
);

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/availability')
export class ViewAvailabilityController {
  constructor(private readonly availability: ProAvailability) {}

  @Get()
  @Roles('service', 'pro', 'client')
  @ApiOperation({
    summary: "A Pro's free slots for one service, with each source calendar's freshness",
  })
  async view(
    @Param('proId') proId: string,
    @Query() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.availability.slots(principal, proId, optionsOf(raw, systemClock.now().getTime()));
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
