import { Controller, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@cs/platform';
import { type Response } from 'express';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { lockedBooking } from '../../infrastructure/booking-preconditions';
import { bookingView } from '../../infrastructure/booking-reads';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class ConfirmHoldController {
  constructor(private readonly commands: BookingCommands) {}

  @Post(':bookingId/confirm')
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: 'Turn a hold into a booking (before it expires)' })
  async confirm(
    @Param('bookingId') bookingId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    const outcome = await this.commands.run(
      { scope: principal.sub, key, request: { route: `POST /v1/bookings/${bookingId}/confirm` } },
      async (schedules) => {
        const booking = await lockedBooking(schedules, principal, bookingId, ifMatch);
        for (const proId of booking.pro_ids) {
          await schedules.execute(proId, { type: 'confirm', bookingId, now: schedules.now });
        }
        return { status: 200, body: bookingView((await schedules.booking(bookingId))!) };
      },
    );
    res.status(outcome.status);
    return outcome.body;
  }
}
