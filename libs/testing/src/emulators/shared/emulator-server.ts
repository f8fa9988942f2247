import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is (set its content type in `headers`); anything else as JSON. */
  body?: unknown;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface EmulatorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export type EmulatorHandler = (request: EmulatorRequest) => Promise<EmulatorReply> | EmulatorReply;

/** One in-process server on a free loopback port; HTTPS when given a key and certificate. */
export async function startEmulatorServer(
  handler: EmulatorHandler,
  tls?: { key: string; cert: string },
): Promise<EmulatorServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void serve(handler, req, res);
  };
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(handler: EmulatorHandler, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://emulator');
  let reply: EmulatorReply;
  try {
    reply = await handler({
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
  } catch (error) {
    reply = { status: 500, body: { error: { message: String(error) } } };
  }
  const text =
    reply.body === undefined
      ? ''
      : typeof reply.body === 'string'
        ? reply.body
        : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (typeof reply.body === 'object' && reply.body !== null)
    headers['content-type'] ??= 'application/json; charset=UTF-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Reads a JSON body, answering null for an empty or malformed one. */
export function jsonBody<T>(request: EmulatorRequest): T | null {
  if (request.body.trim() === '') return null;
  try {
    return JSON.parse(request.body) as T;
  } catch {
    return null;
  }
}

export function header(request: EmulatorRequest, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export function bearerToken(request: EmulatorRequest): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(header(request, 'authorization') ?? '');
  return match ? match[1]!.trim() : null;
}

export function recordCall(request: EmulatorRequest, status: number): RecordedCall {
  return {
    method: request.method,
    path: request.path,
    query: Object.fromEntries(request.query.entries()),
    status,
  };
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
