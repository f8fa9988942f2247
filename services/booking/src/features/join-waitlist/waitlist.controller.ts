import { Body, Controller, Get, Headers, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { joinWaitlistBody } from '@cs/contracts';
import { EventStore, PG_POOL, newId } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
  forbidden,
} from '@cs/platform';
import { type Response } from 'express';
import { Pool } from 'pg';
import { type z } from 'zod';
import { assertCanBook } from '../../infrastructure/booking-access';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { assertCanSeeEntry, entryView, positionOf } from '../../infrastructure/waitlist-access';
import { executeWaitlist, findEntry } from '../../infrastructure/waitlist-entries';
import { ConsistentBookingRead } from '../../infrastructure/consistent-reads';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('v1/waitlist')
export class WaitlistController {
  constructor(
    private readonly commands: BookingCommands,
    private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Post()
  @Roles('service', 'pro', 'client')
  @ApiOperation({
    summary: 'Wait for a slot: a freed one that matches is offered, first in line first',
  })
  async join(
    @Body(new ZodValidationPipe(joinWaitlistBody)) body: z.infer<typeof joinWaitlistBody>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    // A Pro may put a client on its own list, not on a whole territory's.
    if (!body.proId && !principal.roles.includes('service') && !principal.roles.includes('client'))
      throw forbidden('Only your own waitlist.');
    assertCanBook(principal, body.client.clientId, body.proId ? [body.proId] : []);
    const outcome = await this.commands.run(
      { scope: principal.sub, key, request: { route: 'POST /v1/waitlist', body } },
      async (schedules) => {
        const entryId = newId();
        await executeWaitlist(
          schedules.tx,
          this.store,
          {
            type: 'join',
            entryId,
            request: {
              serviceId: body.serviceId,
              proId: body.proId ?? null,
              territoryId: body.territoryId ?? null,
              window: { from: Date.parse(body.window.from), to: Date.parse(body.window.to) },
              clientId: body.client.clientId,
            },
            now: schedules.now,
          },
          { client: body.client, location: body.location },
        );
        const entry = (await findEntry(schedules.tx, entryId))!;
        return { status: 201, body: { entryId, position: await positionOf(schedules.tx, entry) } };
      },
    );
    res.status(outcome.status);
    return outcome.body;
  }

  @Get(':entryId')
  @Roles('service', 'pro', 'client')
  @ConsistentBookingRead()
  @ApiOperation({ summary: 'A waitlist entry with its place in line and the offers it had' })
  async view(@Param('entryId') entryId: string, @CurrentPrincipal() principal: Principal) {
    const entry = assertCanSeeEntry(principal, await findEntry(this.pool, entryId), entryId);
    return entryView(entry, await positionOf(this.pool, entry));
  }
}
