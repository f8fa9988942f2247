import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Roles } from '@cs/platform';
import { type Request, type Response } from 'express';
import { Upstream } from '../../infrastructure/upstream';
import { toolServer } from './tool-server';

const NO_SESSIONS = {
  jsonrpc: '2.0',
  error: {
    code: -32000,
    message: 'Method not allowed: this server keeps no sessions; POST each message.',
  },
  id: null,
};

/** MCP over Streamable HTTP, stateless: every POST is answered on its own, as plain JSON. */
@ApiTags('assistant')
@ApiBearerAuth()
@Controller('mcp')
export class McpController {
  constructor(private readonly upstream: Upstream) {}

  @Post()
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: 'MCP JSON-RPC messages: tools/list, tools/call (docs/api.md)' })
  async message(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The guard verified this very header; it goes on unchanged, so the services judge the caller.
    const server = toolServer(this.upstream, req.headers.authorization!);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  @Get()
  @HttpCode(405)
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: 'Not offered: no server-initiated stream' })
  noStream() {
    return NO_SESSIONS;
  }

  @Delete()
  @HttpCode(405)
  @Roles('service', 'pro', 'client')
  @ApiOperation({ summary: 'Not offered: no sessions to end' })
  noSession() {
    return NO_SESSIONS;
  }
}
