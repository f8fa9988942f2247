import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { checkRange, rangeParams } from '@cs/contracts';
import { CLOCK, type Clock } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  assertCanAccessPro,
  parseOr400,
} from '@cs/platform';
import { z } from 'zod';
import { ProAvailability } from '../view-availability/pro-availability';
import { explainBusyTime } from './explain-busy-time';
import { ConsistentScheduleRead } from '../../infrastructure/http/consistent-schedule-read';

const query = checkRange(z.object(rangeParams));
const iso = (instant: number) => new Date(instant).toISOString();

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/busy')
export class BusyController {
  constructor(
    private readonly availability: ProAvailability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('service', 'pro')
  @ConsistentScheduleRead()
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
      intervals: explainBusyTime(schedule, range, this.clock.now().getTime()).map((i) => ({
        ...i,
        start: iso(i.start),
        end: iso(i.end),
        ...(i.recurrenceId === undefined ? {} : { recurrenceId: iso(i.recurrenceId) }),
      })),
    };
  }
}
