import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import { PG_POOL } from '@cs/eventing';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  parseOr400,
  type Principal,
  Roles,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';
import { worstState } from '../../domain/sync-state/sync-health';
import { calendarsOfPro } from '../../infrastructure/calendar-rows';
import { calendarStatus, problemsOf } from '../../infrastructure/calendar-problems';

const params = z.object({ proId: id });

/**
 * Everything that keeps a Pro's calendars from being read, across the Pro's connections: what
 * the week page (`/ui/`) shows next to the week. Names are the provider's, so a Pro's view only.
 */
@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1/pros/:proId/sync-status')
export class ProSyncStatusController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({
    summary:
      "A Pro's calendars by name, each with its sync state, last sync, last error and the events that could not be read",
  })
  async status(@Param('proId') proId: string, @CurrentPrincipal() principal: Principal) {
    parseOr400(params, { proId }, 'params');
    assertCanAccessPro(principal, proId);
    const calendars = await calendarsOfPro(this.pool, proId);
    const problems = await problemsOf(
      this.pool,
      calendars.map((c) => c.calendarId),
    );
    return {
      proId,
      state: worstState(calendars.map((c) => c.state)),
      calendars: calendars.map((c) => ({
        ...calendarStatus(c, problems),
        name: c.name,
        provider: c.provider,
      })),
    };
  }
}
