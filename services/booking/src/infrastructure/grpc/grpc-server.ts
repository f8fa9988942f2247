import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { standardGrpcServices } from '@cs/platform';
import { BOOKING_CONFIG, type BookingConfig } from '../booking-config';

export const BOOKING_PROTO = resolve(
  __dirname,
  '../../../../../libs/contracts/proto/cs/booking/v1/booking.proto',
);

/**
 * Serves `cs.booking.v1.Booking` beside HTTP in the same process (a hybrid app). The loader
 * keeps unset fields absent and gives HTTP's camelCase names, so requests validate exactly as
 * HTTP bodies do. Health and reflection come along (docs/api.md).
 */
export async function startGrpc(app: INestApplication): Promise<void> {
  const config = app.get<BookingConfig>(BOOKING_CONFIG);
  app.connectMicroservice<GrpcOptions>({
    transport: Transport.GRPC,
    options: {
      package: 'cs.booking.v1',
      protoPath: BOOKING_PROTO,
      url: `0.0.0.0:${config.GRPC_PORT}`,
      loader: { keepCase: false, longs: String, enums: String, arrays: true, defaults: false },
      onLoadPackageDefinition: standardGrpcServices(app, ['cs.booking.v1.Booking']),
    },
  });
  await app.startAllMicroservices();
}
