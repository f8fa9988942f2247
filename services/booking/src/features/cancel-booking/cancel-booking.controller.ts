import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { cancelBody } from '@cs/contracts';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import { type Response } from 'express';
import { type z } from 'zod';
import { CancelBooking } from './cancel-booking';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class CancelBookingController {
  constructor(private readonly cancelling: CancelBooking) {}

  @Post(':bookingId/cancel')
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: 'Cancel a booking or release a hold; the time is free at once' })
  async cancel(
    @Param('bookingId') bookingId: string,
    @Body(new ZodValidationPipe(cancelBody)) body: z.infer<typeof cancelBody>,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    const outcome = await this.cancelling.cancel(principal, bookingId, body, { key, ifMatch });
    res.status(outcome.status);
    return outcome.body;
  }
}
