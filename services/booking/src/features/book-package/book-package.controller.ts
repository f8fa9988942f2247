import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalData } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
  forbidden,
} from '@cs/platform';
import { type Response } from 'express';
import { assertCanBook } from '../../infrastructure/booking-access';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { BOOKING_CONFIG, type BookingConfig } from '../../infrastructure/booking-config';
import { proIdsOf } from '../book-appointment/booking-request';
import { type PackageRequestBody, packageRequestSchema } from './package-request';
import { reservePackage } from './reserve-package';
import { ConsistentScheduleInputs } from '../../infrastructure/consistent-reads';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class BookPackageController {
  constructor(
    private readonly commands: BookingCommands,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
    private readonly personal: PersonalData,
  ) {}

  @Post('batch')
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleInputs()
  @ApiOperation({
    summary: 'Book a package of appointments: all or none, naming the items that cannot be booked',
  })
  async bookPackage(
    @Body(new ZodValidationPipe(packageRequestSchema)) body: PackageRequestBody,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    for (const item of body.items) {
      assertCanBook(principal, item.client.clientId, proIdsOf(item));
      if (item.override && !principal.roles.includes('service')) {
        throw forbidden('Only the service role may override the booking rules.');
      }
    }
    const outcome = await this.commands.run(
      { scope: principal.sub, key, request: { route: 'POST /v1/bookings/batch', body } },
      async (schedules) => {
        const holdUntil = (hold: boolean) =>
          hold ? schedules.now + this.config.HOLD_TTL_SECONDS * 1_000 : null;
        return {
          status: 201,
          body: await reservePackage(schedules, body, holdUntil, this.personal),
        };
      },
    );
    res.status(outcome.status);
    return outcome.body;
  }
}
