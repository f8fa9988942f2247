import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { checkRange, id, rangeParams } from '@cs/contracts';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  assertCanAccessPro,
  parseOr400,
} from '@cs/platform';
import { z } from 'zod';
import { localIsoFormatter } from '../../infrastructure/http/local-time';
import { orRuleViolation } from '../../infrastructure/http/scheduling-problem';
import { ProAvailability } from '../view-availability/pro-availability';
import { proWorkingWindows } from './pro-working-windows';
import { ConsistentScheduleRead } from '../../infrastructure/http/consistent-schedule-read';

const query = checkRange(z.object({ ...rangeParams, serviceId: id.optional() }));
const iso = (instant: number) => new Date(instant).toISOString();

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/working-windows')
export class WorkingWindowsController {
  constructor(private readonly availability: ProAvailability) {}

  @Get()
  @Roles('service', 'pro')
  @ConsistentScheduleRead()
  @ApiOperation({
    summary: 'When the Pro works: weekly hours, date overrides, minus absences and holidays',
  })
  async windows(
    @Param('proId') proId: string,
    @Query() raw: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const q = parseOr400(query, raw, 'query');
    assertCanAccessPro(principal, proId);
    const schedule = await this.availability.scheduleFor(principal, proId);
    const range = { start: Date.parse(q.from), end: Date.parse(q.to) };
    const windows = await orRuleViolation(() => proWorkingWindows(schedule, range));
    const timeZone = schedule.settings.timeZone;
    const local = localIsoFormatter(timeZone);
    return {
      proId,
      timeZone,
      windows: windows
        .filter((w) => !q.serviceId || w.serviceIds === null || w.serviceIds.includes(q.serviceId))
        .map((w) => ({
          start: iso(w.start),
          end: iso(w.end),
          localStart: local(w.start),
          localEnd: local(w.end),
          serviceIds: w.serviceIds,
          emergencyOnly: w.emergencyOnly,
        })),
    };
  }
}
