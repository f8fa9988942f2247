import { join } from 'node:path';
import { asyncApiDocument } from './asyncapi-document';
import { clientGrpcTypes } from './client-grpc-types';
import { clientOpenApiTypes } from './client-openapi-types';
import { grpcSummary } from './grpc-summary';
import { openApiDocuments } from './openapi-documents';
import { REPO_ROOT } from './repo-root';
import { stableJson } from './stable-json';

const CLIENT_TYPES = 'libs/client/src/generated';
const PROTO_ROOT = join(REPO_ROOT, 'libs/contracts/proto');
const CLIENT_PROTOS = {
  availability: 'cs/availability/v1/availability.proto',
  booking: 'cs/booking/v1/booking.proto',
};

/**
 * Every generated file, by path from the repository root, as it should read: docs/api, and the
 * client package's types made from the same documents and protos.
 */
export async function generateDocs(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [service, document] of await openApiDocuments()) {
    files.set(`docs/api/openapi/${service}.json`, await stableJson(document));
    files.set(`${CLIENT_TYPES}/openapi/${service}.ts`, await clientOpenApiTypes(service, document));
  }
  files.set('docs/api/grpc.md', grpcSummary());
  files.set('docs/api/asyncapi.json', await stableJson(asyncApiDocument()));
  for (const [name, protoFile] of Object.entries(CLIENT_PROTOS))
    files.set(`${CLIENT_TYPES}/grpc/${name}.ts`, await clientGrpcTypes(PROTO_ROOT, protoFile));
  return files;
}
