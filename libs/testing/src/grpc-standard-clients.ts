import { dirname, join } from 'node:path';
import { type Client, credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProto } from 'grpc-health-check';

type Constructor = new (
  url: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => Client;

const reflectionProto = join(
  dirname(require.resolve('@grpc/reflection')),
  '../proto/grpc/reflection/v1/reflection.proto',
);

function serviceClient(proto: string, name: string, url: string): Client {
  let found: unknown = loadPackageDefinition(
    loadSync(proto, { keepCase: true, defaults: true, enums: String }),
  );
  for (const part of name.split('.')) found = (found as Record<string, unknown>)[part];
  return new (found as Constructor)(url, credentials.createInsecure());
}

export interface HealthClient extends Client {
  Check(
    request: { service: string },
    options: { deadline?: number },
    done: (error: ServiceError | null, answer: { status: string }) => void,
  ): void;
  Watch(request: { service: string }): NodeJS.EventEmitter & { cancel(): void };
}

/** `grpc.health.v1.Health` at `url`, as a load balancer or `grpc_health_probe` asks it. */
export const grpcHealthClient = (url: string) =>
  serviceClient(healthProto, 'grpc.health.v1.Health', url) as HealthClient;

/** The services a server lists through reflection v1, as `grpcurl <url> list` shows them. */
export function listGrpcServices(url: string): Promise<string[]> {
  const client = serviceClient(
    reflectionProto,
    'grpc.reflection.v1.ServerReflection',
    url,
  ) as Client & {
    ServerReflectionInfo(): NodeJS.EventEmitter & { write(m: object): void; end(): void };
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on('data', (answer: { list_services_response?: { service: { name: string }[] } }) => {
      resolve(answer.list_services_response?.service.map((s) => s.name) ?? []);
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ list_services: '' });
  });
}
