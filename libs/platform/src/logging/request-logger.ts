import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type LevelWithSilent, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { correlationIdFor } from '../context/correlation-id';

function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return url.split('?')[0] ?? '';
}

/** Probes and scrapes arrive every few seconds; at info they would drown the real traffic. */
function isOperational(path: string): boolean {
  return path === '/metrics' || path.startsWith('/health/');
}

function levelFor(req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  if (isOperational(pathOf(req))) return 'debug';
  if (error !== undefined || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return 'info';
}

interface SerializedRequest {
  id: unknown;
  method: string;
  headers: unknown;
  raw: IncomingMessage;
}

/** One line per request, written when the response is finished. */
export function createRequestLogger(root: Logger): HttpLogger {
  return pinoHttp({
    logger: root,
    genReqId: (req) => correlationIdFor(req),
    customLogLevel: levelFor,
    serializers: {
      // The query string is left out: OAuth callbacks and feed links carry secrets there.
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: pathOf(req.raw),
        headers: req.headers,
      }),
    },
  });
}
