import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { guardedLookup, isInternalName, isPublicAddress, literalAddress } from './address-policy';
import { DEFAULT_CONNECT_TIMEOUT_MS, limitConnect } from './connect-deadline';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export interface AddressRules {
  /** Which resolved or literal addresses may be connected to. */
  allowed?: (address: string) => boolean;
  /** Lets `localhost`, `*.internal` and the like through (see `isInternalName`). */
  allowInternalNames?: boolean;
  connectTimeoutMs?: number;
}

/**
 * `fetch` for URLs a user gave us, over node:http, whose sockets connect only to public
 * addresses: internal names are refused before any lookup, other names are checked in the
 * socket's own lookup (no second resolution can swap the address), IP literals before each
 * request, all again on every redirect; connecting has its own short deadline. Node's fetch
 * takes no lookup, and an undici dispatcher from npm would run two undici versions in one process.
 */
export function publicOnlyFetch(
  refused: () => Error,
  maxBytes: number,
  rules: AddressRules = {},
): typeof fetch {
  const allowed = rules.allowed ?? isPublicAddress;
  const lookup = guardedLookup(refused, allowed);
  const connectTimeoutMs = rules.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return async (input, init = {}) => {
    let url = new URL(input instanceof Request ? input.url : String(input));
    let method = (init.method ?? 'GET').toUpperCase();
    let body = typeof init.body === 'string' ? init.body : undefined;
    const headers = new Headers(init.headers);
    for (let hop = 0; ; hop++) {
      const literal = literalAddress(url.hostname);
      if (
        (literal !== null && !allowed(literal)) ||
        (!rules.allowInternalNames && isInternalName(url.hostname))
      )
        throw new TypeError('fetch failed', { cause: refused() });
      const response = await send(url, {
        method,
        headers,
        body,
        signal: init.signal,
        lookup,
        connectTimeoutMs,
      });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (!REDIRECTS.has(status) || !location || init.redirect === 'manual')
        return toResponse(response, method, maxBytes);
      response.resume();
      if (init.redirect === 'error' || hop >= MAX_REDIRECTS)
        throw new TypeError('fetch failed', { cause: new Error('redirect refused or too many') });
      const next = new URL(location, url);
      // As fetch does: credentials never follow a redirect to another origin.
      if (next.origin !== url.origin) headers.delete('authorization');
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  };
}

interface Outgoing {
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | null | undefined;
  lookup: LookupFunction;
  connectTimeoutMs: number;
}

function send(url: URL, outgoing: Outgoing): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: outgoing.method,
      headers: Object.fromEntries(outgoing.headers),
      lookup: outgoing.lookup,
      signal: outgoing.signal ?? undefined,
    });
    limitConnect(req, outgoing.connectTimeoutMs);
    req.once('response', resolve);
    req.once('error', (error) =>
      reject(
        outgoing.signal?.aborted
          ? outgoing.signal.reason
          : error.name === 'TimeoutError'
            ? error
            : new TypeError('fetch failed', { cause: error }),
      ),
    );
    req.end(outgoing.body);
  });
}

async function toResponse(
  message: IncomingMessage,
  method: string,
  maxBytes: number,
): Promise<Response> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of message) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      message.destroy();
      throw new TypeError('fetch failed', { cause: new Error(`response over ${maxBytes} bytes`) });
    }
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2)
    headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  const status = message.statusCode ?? 0;
  const empty = method === 'HEAD' || [204, 205, 304].includes(status);
  return new Response(empty ? null : Buffer.concat(chunks), {
    status,
    statusText: message.statusMessage ?? '',
    headers,
  });
}
