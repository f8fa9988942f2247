import type { INestApplication } from '@nestjs/common';
import type { Server } from '@grpc/grpc-js';
import { type PackageDefinition, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProto } from 'grpc-health-check';
import { GrpcHealth } from './grpc-health';

/**
 * What gRPC tools expect of a server besides its own services, as Nest's
 * `onLoadPackageDefinition`: `grpc.health.v1.Health` following readiness, and server reflection
 * (v1 and v1alpha) describing the service's protos and the health service, so `grpcurl` needs no
 * proto files.
 */
export function standardGrpcServices(app: INestApplication, services: readonly string[]) {
  return (definition: PackageDefinition, server: Pick<Server, 'addService'>): void => {
    new ReflectionService({ ...definition, ...loadSync(healthProto) }).addToServer(server);
    app.get(GrpcHealth).serve(server, services);
  };
}
