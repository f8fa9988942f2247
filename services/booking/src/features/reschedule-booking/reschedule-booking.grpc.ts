import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { rescheduleBody } from '@cs/contracts';
import { parseOr400 } from '@cs/platform';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';
import { MoveBooking } from './move-booking';

/** `cs.booking.v1.Booking/Reschedule`: `POST /v1/bookings/{id}/reschedule`. */
@Controller()
export class RescheduleBookingGrpc {
  constructor(
    private readonly moving: MoveBooking,
    private readonly calls: GrpcCalls,
  ) {}

  @GrpcMethod('Booking', 'Reschedule')
  reschedule(
    request: { bookingId?: string; start?: string; proId?: string },
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    return this.calls.run(metadata, call, async ({ principal, key, ifMatch }) => {
      const { bookingId = '', ...rest } = request;
      const body = parseOr400(rescheduleBody, rest, 'body');
      return (await this.moving.move(principal, bookingId, body, { key, ifMatch })).body;
    });
  }
}
