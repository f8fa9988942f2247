import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEventDefinitions } from '@cs/contracts';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { generateDocs } from '../../scripts/docs/generate-docs';
import { REPO_ROOT } from '../../scripts/docs/repo-root';

const EXPECTED_FILES = [
  'docs/api/asyncapi.json',
  'docs/api/grpc.md',
  'docs/api/openapi/availability.json',
  'docs/api/openapi/booking.json',
  'docs/api/openapi/connector.json',
  'docs/api/openapi/notification.json',
  'docs/api/openapi/sync.json',
  'libs/client/src/generated/grpc/availability.ts',
  'libs/client/src/generated/grpc/booking.ts',
  'libs/client/src/generated/openapi/availability.ts',
  'libs/client/src/generated/openapi/booking.ts',
  'libs/client/src/generated/openapi/connector.ts',
  'libs/client/src/generated/openapi/notification.ts',
  'libs/client/src/generated/openapi/sync.ts',
];

describe('docs/api and the client types, generated from the code', () => {
  let generated: Map<string, string>;

  beforeAll(async () => {
    generated = await generateDocs();
  });

  it('covers every service, the protos, the events and the client types', () => {
    expect([...generated.keys()].sort()).toEqual(EXPECTED_FILES);
  });

  it.each(EXPECTED_FILES)('%s is the checked-in copy', (path) => {
    const file = join(REPO_ROOT, path);
    const checkedIn = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (checkedIn !== generated.get(path)) {
      throw new Error(`${path} differs from the code: run \`npm run docs:generate\``);
    }
  });

  it('has one AsyncAPI 3 message per event type at its schema version', () => {
    const asyncApi = JSON.parse(generated.get('docs/api/asyncapi.json')!) as {
      asyncapi: string;
      components: { messages: Record<string, { name: string }> };
    };
    expect(asyncApi.asyncapi).toBe('3.0.0');
    for (const definition of allEventDefinitions) {
      const message =
        asyncApi.components.messages[`${definition.type}.v${definition.schemaVersion}`];
      expect(message?.name).toBe(definition.type);
    }
  });
});
