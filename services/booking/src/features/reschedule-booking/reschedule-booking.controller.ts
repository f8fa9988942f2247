import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { rescheduleBody } from '@cs/contracts';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import { type Response } from 'express';
import { type z } from 'zod';
import { MoveBooking } from './move-booking';
import { ConsistentScheduleInputs } from '../../infrastructure/consistent-reads';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class RescheduleBookingController {
  constructor(private readonly moving: MoveBooking) {}

  @Post(':bookingId/reschedule')
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleInputs()
  @ApiOperation({
    summary: 'Move a confirmed booking; the new slot is reserved before the old is freed',
  })
  async reschedule(
    @Param('bookingId') bookingId: string,
    @Body(new ZodValidationPipe(rescheduleBody)) body: z.infer<typeof rescheduleBody>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    const outcome = await this.moving.move(principal, bookingId, body, { key, ifMatch });
    res.status(outcome.status);
    return outcome.body;
  }
}
