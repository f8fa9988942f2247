import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { cancelBody } from '@cs/contracts';
import { parseOr400 } from '@cs/platform';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';
import { CancelBooking } from './cancel-booking';

/** `cs.booking.v1.Booking/Cancel`: `POST /v1/bookings/{id}/cancel`. */
@Controller()
export class CancelBookingGrpc {
  constructor(
    private readonly cancelling: CancelBooking,
    private readonly calls: GrpcCalls,
  ) {}

  @GrpcMethod('Booking', 'Cancel')
  cancel(
    request: { bookingId?: string; reason?: string },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    return this.calls.run(metadata, call, async ({ principal, key, ifMatch }) => {
      const { bookingId = '', ...rest } = request;
      const body = parseOr400(cancelBody, rest, 'body');
      return (await this.cancelling.cancel(principal, bookingId, body, { key, ifMatch })).body;
    });
  }
}
