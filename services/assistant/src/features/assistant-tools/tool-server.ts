import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { type z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { type Upstream } from '../../infrastructure/upstream';
import { TOOLS, type Tool } from './tools';

const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));

// Computed once: the schemas are constants, and the same for every caller.
const listing = TOOLS.map((tool) => ({
  name: tool.name,
  description: tool.description,
  inputSchema: inputSchemaOf(tool.input),
}));

/** The body's JSON Schema as MCP lists it: one object, no references, defaults shown. */
function inputSchemaOf(schema: z.ZodTypeAny) {
  const { $schema: _dialect, ...json } = zodToJsonSchema(schema, {
    $refStrategy: 'none',
    effectStrategy: 'input',
  }) as Record<string, unknown>;
  return { ...json, type: 'object' as const };
}

/** Bad arguments are the caller's mistake: a JSON-RPC "invalid params" naming every field. */
function parseArguments(tool: Tool, args: unknown) {
  const parsed = tool.input.safeParse(args ?? {});
  if (parsed.success) return parsed.data as never;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : 'arguments',
    message: issue.message,
  }));
  throw new McpError(
    ErrorCode.InvalidParams,
    `Invalid arguments for ${tool.name}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    { errors },
  );
}

/**
 * One MCP server per request (the transport is stateless), acting with the caller's own
 * `Authorization` header and nothing else: a refusal of the service (problem+json) comes back as
 * the tool's error result, so the assistant can read why.
 */
export function toolServer(upstream: Upstream, authorization: string): Server {
  const server = new Server(
    { name: 'careservice-calendar', version: '1.0.0' },
    { capabilities: { tools: {} } },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const input = parseArguments(tool, request.params.arguments);
    const { service, ...call } = tool.request(authorization, input);
    const answer = await upstream.call(service, call);
    const ok = answer.status >= 200 && answer.status < 300;
    const body = ok && tool.present ? tool.present(answer, input) : answer.body;
    return {
      content: [{ type: 'text', text: JSON.stringify(body) }],
      structuredContent: { status: answer.status, body } as Record<string, unknown>,
      isError: !ok,
    };
  });
  return server;
}
