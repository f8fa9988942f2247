import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { systemClock } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  assertCanAccessPro,
  parseOr400,
} from '@cs/platform';
import { z } from 'zod';
import { checkRange, rangeParams } from '../../infrastructure/http/query-params';
import { ProAvailability } from '../view-availability/pro-availability';
import { busyIntervals } from './busy-intervals';

const query = checkRange(z.object(rangeParams));
const iso = (instant: number) => new Date(instant).toISOString();

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/busy')
export class BusyController {
  constructor(private readonly availability: ProAvailability) {}

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({
    summary: 'Why the Pro is not free: every busy interval with its kind and source',
  })
  async busy(
    @Param('proId') proId: string,
    @Query() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const q = parseOr400(query, raw, 'query');
    assertCanAccessPro(principal, proId);
    const schedule = await this.availability.scheduleFor(principal, proId);
    const range = { start: Date.parse(q.from), end: Date.parse(q.to) };
    return {
      intervals: busyIntervals(schedule, range, systemClock.now().getTime()).map((i) => ({
        ...i,
        start: iso(i.start),
        end: iso(i.end),
        ...(i.recurrenceId === undefined ? {} : { recurrenceId: iso(i.recurrenceId) }),
      })),
    };
  }
}
