import { Controller, Inject } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@cs/eventing';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';
import { ProAvailability } from './pro-availability';
import { optionsOf } from './view-availability.controller';

interface GetAvailabilityRequest {
  proId?: string;
  serviceId?: string;
  from?: string;
  to?: string;
  timeZone?: string;
  location?: { lat?: number; lng?: number };
  emergency?: boolean;
}

/** `cs.availability.v1.Availability/GetAvailability`: the HTTP answer, from the same code. */
@Controller()
export class GetAvailabilityGrpc {
  constructor(
    private readonly availability: ProAvailability,
    private readonly calls: GrpcCalls,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @GrpcMethod('Availability', 'GetAvailability')
  get(
    request: GetAvailabilityRequest,
    metadata: Metadata,
    call: ServerUnaryCall<unknown, unknown>,
  ) {
    return this.calls.run(metadata, call, (principal) => {
      const options = optionsOf(
        {
          serviceId: request.serviceId,
          from: request.from,
          to: request.to,
          timeZone: request.timeZone,
          // proto3 leaves out a zero: a location on the equator has no lat field.
          lat: request.location && (request.location.lat ?? 0),
          lng: request.location && (request.location.lng ?? 0),
          emergency: String(request.emergency ?? false),
        },
        this.clock.now().getTime(),
      );
      return this.availability.slots(principal, request.proId ?? '', options);
    });
  }
}
