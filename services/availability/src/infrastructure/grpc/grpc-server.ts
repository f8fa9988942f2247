import { resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { CONFIG, standardGrpcServices } from '@cs/platform';
import type { AvailabilityConfig } from '../../config';

export const AVAILABILITY_PROTO = resolve(
  __dirname,
  '../../../../../libs/contracts/proto/cs/availability/v1/availability.proto',
);

/**
 * Serves `cs.availability.v1.Availability` beside HTTP in the same process (a hybrid app). The
 * loader keeps unset fields absent and gives HTTP's camelCase names, so requests validate
 * exactly as HTTP bodies and query strings do. Health and reflection come along (docs/api.md).
 */
export async function startGrpc(app: INestApplication): Promise<void> {
  const config = app.get<AvailabilityConfig>(CONFIG);
  app.connectMicroservice<GrpcOptions>({
    transport: Transport.GRPC,
    options: {
      package: 'cs.availability.v1',
      protoPath: AVAILABILITY_PROTO,
      url: `0.0.0.0:${config.GRPC_PORT}`,
      loader: { keepCase: false, longs: String, enums: String, arrays: true, defaults: false },
      onLoadPackageDefinition: standardGrpcServices(app, ['cs.availability.v1.Availability']),
    },
  });
  await app.startAllMicroservices();
}
