import { Controller, Inject } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { PG_POOL } from '@cs/eventing';
import { Pool } from 'pg';
import { assertCanSeeBooking } from '../../infrastructure/booking-access';
import { bookingView, findBooking } from '../../infrastructure/booking-reads';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';

/** `cs.booking.v1.Booking/Get`: `GET /v1/bookings/{id}`. */
@Controller()
export class GetBookingGrpc {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly calls: GrpcCalls,
  ) {}

  @GrpcMethod('Booking', 'Get')
  get(
    request: { bookingId?: string },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    return this.calls.run(metadata, call, async ({ principal }) => {
      const bookingId = request.bookingId ?? '';
      return bookingView(
        assertCanSeeBooking(principal, await findBooking(this.pool, bookingId), bookingId),
      );
    });
  }
}
