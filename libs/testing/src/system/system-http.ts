import type { System } from './system';
import type { SystemServiceName } from './system-services';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface CallOptions {
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A plain HTTP call to one of the system's services; a refused connection answers status 0. */
export async function callService<T = Record<string, unknown>>(
  system: System,
  service: SystemServiceName,
  method: string,
  path: string,
  options: CallOptions,
): Promise<Answer<T>> {
  try {
    const response = await fetch(`${system.url(service)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  } catch {
    return { status: 0, body: {} as T };
  }
}

/** Like `callService`, but anything other than the expected status is an error naming the answer. */
export async function expectStatus<T = Record<string, unknown>>(
  status: number,
  system: System,
  service: SystemServiceName,
  method: string,
  path: string,
  options: CallOptions,
): Promise<T> {
  const answer = await callService<T>(system, service, method, path, options);
  if (answer.status !== status)
    throw new Error(
      `${method} ${service}${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  return answer.body;
}
