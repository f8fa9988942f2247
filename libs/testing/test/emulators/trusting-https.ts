import { request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface HttpsReply<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** HTTPS that trusts one extra CA: what MSAL's `system.networkClient` and Graph calls use here. */
export function trustingHttps(ca: string) {
  const send = (
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<HttpsReply<string>> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
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
      req.on('error', reject);
      req.end(body);
    });

  const json = async <T>(
    method: string,
    url: string,
    options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<HttpsReply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const reply = await send(
      method,
      url,
      headers,
      options.body === undefined ? undefined : JSON.stringify(options.body),
    );
    return { ...reply, body: (reply.body ? JSON.parse(reply.body) : null) as T };
  };

  const parsed = async <T>(reply: Promise<HttpsReply<string>>): Promise<NetworkResponse<T>> => {
    const { status, headers, body } = await reply;
    return { status, headers, body: JSON.parse(body) as T };
  };
  const networkClient: INetworkModule = {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      parsed<T>(send('GET', url, options?.headers)),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      parsed<T>(send('POST', url, options?.headers, options?.body)),
  };

  return { send, json, networkClient };
}
