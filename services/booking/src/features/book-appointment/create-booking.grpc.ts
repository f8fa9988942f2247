import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { parseOr400 } from '@cs/platform';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';
import { BookAppointment } from './book-appointment';
import { bookingRequestSchema } from './booking-request';

interface Located {
  lat?: number;
  lng?: number;
  address?: string;
}

interface CreateRequest {
  serviceId?: string;
  proId?: string;
  proIds?: string[];
  start?: string;
  client?: object;
  location?: Located;
  priority?: string;
  recurrence?: { rrule?: string; onConflict?: string };
  hold?: boolean;
  flexibility?: { allowAutoReschedule?: boolean; window?: { from?: string; to?: string } };
  override?: { reason?: string };
}

/** The HTTP body the request stands for; proto3 leaves out zeros and empty lists. */
function bodyOf(request: CreateRequest) {
  const { location, flexibility, proIds } = request;
  return {
    ...request,
    proIds: proIds?.length ? proIds : undefined,
    location: location ? { ...location, lat: location.lat ?? 0, lng: location.lng ?? 0 } : null,
    flexibility: flexibility && {
      allowAutoReschedule: flexibility.allowAutoReschedule ?? false,
      window: flexibility.window ?? null,
    },
  };
}

/** `cs.booking.v1.Booking/Create`: `POST /v1/bookings`, from the same code. */
@Controller()
export class CreateBookingGrpc {
  constructor(
    private readonly booking: BookAppointment,
    private readonly calls: GrpcCalls,
  ) {}

  @GrpcMethod('Booking', 'Create')
  create(request: CreateRequest, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.calls.run(metadata, call, async ({ principal, key }) => {
      const body = parseOr400(bookingRequestSchema, bodyOf(request), 'body');
      return (await this.booking.book(principal, body, key)).body;
    });
  }
}
