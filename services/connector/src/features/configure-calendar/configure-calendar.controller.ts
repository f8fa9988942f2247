import { Body, Controller, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { withUnitOfWork } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  ProblemException,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { calendarView } from '../../infrastructure/connections/calendar-view';
import { orConnectionProblem } from '../../infrastructure/connections/connection-problems';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { ownedConnection } from '../../infrastructure/connections/owned-connection';
import { ConnectionCommands } from '../../infrastructure/connections/connection-commands';

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
    private readonly dataSource: DataSource,
    private readonly commands: ConnectionCommands,
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
    // A disconnect may commit between the check above and the command on the stream.
    return orConnectionProblem(() =>
      this.change(connection.proId, connectionId, calendarId, input),
    );
  }

  private change(
    proId: string,
    connectionId: string,
    calendarId: string,
    input: z.infer<typeof body>,
  ) {
    return withUnitOfWork(this.dataSource, async ({ manager, client: tx }) => {
      await this.connections.lockCalendarsOfPro(manager, proId);
      const calendars = await this.connections.calendarsOfPro(proId, manager);
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
      for (const c of changed) await this.connections.updateCalendar(manager, c);
      for (const affected of new Set(changed.map((c) => c.connectionId))) {
        await this.commands.handleWith(tx, affected, {
          type: 'change_calendars',
          calendars: next.filter((c) => c.connectionId === affected).map(calendarView),
        });
      }
      return calendarView(next.find((c) => c.calendarId === calendarId)!);
    });
  }
}
