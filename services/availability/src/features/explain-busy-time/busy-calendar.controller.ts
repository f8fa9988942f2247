import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
import { busyCalendar } from './busy-calendar';
import { explainBusyTime } from './explain-busy-time';
import { ConsistentScheduleRead } from '../../infrastructure/http/consistent-schedule-read';

const query = checkRange(z.object(rangeParams));

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/busy.ics')
export class BusyCalendarController {
  constructor(
    private readonly availability: ProAvailability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('service', 'pro')
  @ConsistentScheduleRead()
  @Header('content-type', 'text/calendar; charset=utf-8')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: "The Pro's busy time as an iCalendar file, one event per interval" })
  async export(
    @Param('proId') proId: string,
    @Query() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<string> {
    const q = parseOr400(query, raw, 'query');
    assertCanAccessPro(principal, proId);
    const schedule = await this.availability.scheduleFor(principal, proId);
    const now = this.clock.now().getTime();
    const range = { start: Date.parse(q.from), end: Date.parse(q.to) };
    return busyCalendar(proId, explainBusyTime(schedule, range, now), now);
  }
}
