import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { DEFAULT_CONNECT_TIMEOUT_MS, limitConnect } from '../connect-deadline';

export interface HttpsReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type HttpsSend = (
  method: string,
  url: string,
  headers?: Record<string, string>,
  body?: string,
) => Promise<HttpsReply>;

/**
 * HTTPS to Entra ID and Graph with a connect deadline and one for the whole exchange; either
 * fails with a `TimeoutError`. An extra CA (the emulator's, in tests) is
 * trusted beside the system's only when configured: MSAL refuses a non-https authority, so
 * tests cannot fall back to plain HTTP (docs/design.md §6).
 */
export function microsoftHttps(options: {
  ca: string | null;
  timeoutMs: number;
  connectTimeoutMs?: number;
}): HttpsSend {
  const ca = options.ca ? [...rootCertificates, options.ca] : undefined;
  return (method, url, headers = {}, body) =>
    new Promise((resolve, reject) => {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const req = request(url, { method, headers, ca, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(signal.aborted ? signal.reason : error));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({
            status: res.statusCode ?? 0,
            headers: flat,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      limitConnect(req, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      req.on('error', (error) => reject(signal.aborted ? signal.reason : error));
      req.end(body);
    });
}

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
};

/** MSAL's `system.networkClient` over the same transport. */
export function msalNetworkClient(send: HttpsSend): INetworkModule {
  const reply = async <T>(pending: Promise<HttpsReply>): Promise<NetworkResponse<T>> => {
    const { status, headers, body } = await pending;
    return { status, headers, body: json(body) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => reply(send('GET', url, options?.headers)),
    sendPostRequestAsync: (url, options) =>
      reply(send('POST', url, options?.headers, options?.body)),
  };
}
