import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { INestApplication } from '@nestjs/common';
import { contexts } from '@cs/contracts';
import { createServiceApp, signTestToken } from '@cs/platform';
import {
  createTestContext,
  DATABASE_URL,
  eventually,
  TEST_JWT_SECRET,
  type TestContext,
  testPersonalDataEnv,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assistantService } from '../../services/assistant/src/service';
import { availabilityService } from '../../services/availability/src/service';
import { bookingService } from '../../services/booking/src/service';
import {
  addDays,
  at,
  proSettings,
  territory,
  upcomingMonday,
} from '../../services/availability/test/support/fixtures';

let ctx: TestContext;
const apps: INestApplication[] = [];
const clients: Client[] = [];
let mcpUrl: URL;
let availabilityUrl: string;
const schemas = () => ['availability', 'booking', 'personal_data'].map((s) => `${ctx.schema}_${s}`);
const monday = upcomingMonday();
const from = at(monday, '00:00');
const to = at(addDays(monday, 1), '00:00');
const token = (claims: Parameters<typeof signTestToken>[1]) =>
  signTestToken(TEST_JWT_SECRET, claims);

async function listen(app: INestApplication): Promise<string> {
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: 'assistant-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl, {
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  clients.push(client);
  return client;
}

const shared = () => ({
  DATABASE_URL,
  NATS_URL: ctx.natsUrl,
  NATS_PREFIX: ctx.prefix,
  AUTH_JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'silent',
});

beforeAll(async () => {
  ctx = await createTestContext({ streams: contexts });
  const [availability, booking] = schemas();
  availabilityUrl = await listen(
    await createServiceApp(availabilityService, {
      ...shared(),
      DB_SCHEMA: availability!,
      ...testPersonalDataEnv(schemas()[2]!),
    }),
  );
  const bookingUrl = await listen(
    await createServiceApp(bookingService, {
      ...shared(),
      DB_SCHEMA: booking!,
      ...testPersonalDataEnv(schemas()[2]!),
    }),
  );
  const assistantUrl = await listen(
    await createServiceApp(assistantService, {
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      AVAILABILITY_URL: availabilityUrl,
      BOOKING_URL: bookingUrl,
    }),
  );
  mcpUrl = new URL(`${assistantUrl}/mcp`);
  const service = await token({ sub: 'scheduler', roles: ['service'] });
  for (const [path, body] of [
    ['/v1/territories/nl-utrecht', territory],
    ['/v1/pros/pro-1', proSettings],
  ] as const) {
    const answer = await fetch(`${availabilityUrl}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${service}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(200);
  }
});
afterAll(async () => {
  for (const client of clients) await client.close();
  for (const app of apps.reverse()) await app.close();
  for (const schema of schemas()) await ctx.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await ctx.cleanup();
});

const answerOf = (result: unknown) =>
  (result as CallToolResult).structuredContent as { status: number; body: Record<string, unknown> };

describe('the assistant tools over MCP', () => {
  it('lists the six tools, each with the JSON Schema of its HTTP body', async () => {
    const client = await connect(await token({ sub: 'c-1', roles: ['client'], clientId: 'c-1' }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['book', 'cancel', 'find-slots', 'join-waitlist', 'reschedule', 'suggest'].sort(),
    );
    const book = tools.find((t) => t.name === 'book')!.inputSchema as {
      type: string;
      properties: Record<string, { properties?: Record<string, unknown> }>;
      required: string[];
    };
    expect(book.type).toBe('object');
    expect(book.required).toEqual(expect.arrayContaining(['serviceId', 'start', 'client']));
    expect(Object.keys(book.properties.client!.properties!)).toContain('clientId');
    const cancel = tools.find((t) => t.name === 'cancel')!.inputSchema;
    expect(cancel.required).toContain('bookingId');
  });

  it("finds a Pro's free slots and books one as a client for itself", async () => {
    const client = await connect(await token({ sub: 'c-1', roles: ['client'], clientId: 'c-1' }));
    const slots = await eventually(async () => {
      const found = answerOf(
        await client.callTool({
          name: 'find-slots',
          arguments: { proId: 'pro-1', serviceId: 'wound-care', from, to },
        }),
      );
      expect(found.status).toBe(200);
      expect((found.body.slots as unknown[]).length).toBeGreaterThan(0);
      return found.body.slots as Array<{ start: string }>;
    });
    const booked = await eventually(async () => {
      const result = await client.callTool({
        name: 'book',
        arguments: {
          serviceId: 'wound-care',
          proId: 'pro-1',
          start: slots[0]!.start,
          client: { clientId: 'c-1' },
        },
      });
      expect(result.isError).toBe(false);
      return answerOf(result);
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'confirmed', proIds: ['pro-1'] });

    // Another client can neither book in c-1's name nor touch c-1's booking.
    const other = await connect(await token({ sub: 'c-2', roles: ['client'], clientId: 'c-2' }));
    const forAnother = await other.callTool({
      name: 'book',
      arguments: {
        serviceId: 'wound-care',
        proId: 'pro-1',
        start: slots[1]!.start,
        client: { clientId: 'c-1' },
      },
    });
    expect(forAnother.isError).toBe(true);
    expect(answerOf(forAnother).status).toBe(403);
    const cancelOthers = await other.callTool({
      name: 'cancel',
      arguments: { bookingId: booked.body.bookingId, reason: 'not mine' },
    });
    expect(cancelOthers.isError).toBe(true);
    expect([403, 404]).toContain(answerOf(cancelOthers).status);
  });

  it('answers bad tool input with an MCP error naming each field', async () => {
    const client = await connect(await token({ sub: 'c-1', roles: ['client'], clientId: 'c-1' }));
    const refusal = await client
      .callTool({
        name: 'book',
        arguments: { serviceId: 'wound-care', proId: 'pro-1', start: 'soon' },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toBeInstanceOf(McpError);
    expect((refusal as McpError).message).toContain('start');
    expect((refusal as McpError).message).toContain('client');
  });

  it('refuses a caller without a valid token before any tool runs', async () => {
    const answer = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(answer.status).toBe(401);
  });
});
