import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import { type Response } from 'express';
import { BookAppointment } from './book-appointment';
import { type BookingRequestBody, bookingRequestSchema } from './booking-request';
import { ConsistentScheduleInputs } from '../../infrastructure/consistent-reads';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/bookings')
export class BookAppointmentController {
  constructor(private readonly booking: BookAppointment) {}

  @Post()
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleInputs()
  @ApiOperation({
    summary: 'Book a slot (or hold it), with one Pro or a group, once or as a series',
  })
  async book(
    @Body(new ZodValidationPipe(bookingRequestSchema)) body: BookingRequestBody,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ) {
    const outcome = await this.booking.book(principal, body, key);
    res.status(outcome.status);
    return outcome.body;
  }
}
