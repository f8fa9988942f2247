import { Body, Controller, Inject, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  ProblemException,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';
import { calendarView } from '../../infrastructure/connections/calendar-view';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { ownedConnection } from '../../infrastructure/connections/owned-connection';
import { connectionStreamId } from '../connect-calendar/connect-calendar.handler';

const body = z
  .object({
    busySource: z.boolean().optional(),
    writeTarget: z.boolean().optional(),
    allDayBlocks: z.boolean().optional(),
  })
  .strict();

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/connections/:connectionId/calendars')
export class ConfigureCalendarController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly connections: ConnectionStore,
  ) {}

  @Patch(':calendarId')
  @Roles('service', 'pro')
  @ApiOperation({
    summary:
      'Choose whether a calendar counts as busy time, receives bookings (one per Pro) and blocks all-day',
  })
  async configure(
    @Param('connectionId') connectionId: string,
    @Param('calendarId') calendarId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const connection = await ownedConnection(this.connections, connectionId, principal);
    return withTransaction(this.pool, async (tx) => {
      // Serialises changes to one Pro's calendars, so two write targets never coexist.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `pro-calendars:${connection.proId}`,
      ]);
      const calendars = await this.connections.calendarsOfPro(connection.proId, tx);
      const calendar = calendars.find(
        (c) => c.calendarId === calendarId && c.connectionId === connectionId,
      );
      if (!calendar)
        throw new ProblemException({
          status: 404,
          type: 'not-found',
          detail: `no calendar ${calendarId}`,
        });
      if (input.writeTarget && !calendar.writable)
        throw new ProblemException({
          status: 422,
          type: 'calendar-read-only',
          detail: 'this calendar cannot receive bookings',
          errors: [{ field: 'writeTarget', message: 'the calendar is read-only' }],
        });
      const next = calendars.map((c) =>
        c.calendarId === calendarId
          ? { ...c, ...input }
          : input.writeTarget
            ? { ...c, writeTarget: false }
            : c,
      );
      const changed = next.filter((c, i) => JSON.stringify(c) !== JSON.stringify(calendars[i]));
      for (const c of changed) await this.connections.updateCalendar(tx, c);
      for (const affected of new Set(changed.map((c) => c.connectionId))) {
        await this.store.appendWith(
          tx,
          connectionStreamId(affected),
          [
            {
              type: 'connection.calendars_changed',
              data: {
                connectionId: affected,
                proId: connection.proId,
                calendars: next.filter((c) => c.connectionId === affected).map(calendarView),
              },
            },
          ],
          { expectedVersion: 'any' },
        );
      }
      return calendarView(next.find((c) => c.calendarId === calendarId)!);
    });
  }
}
