/** JSON over HTTP with the demo's token; a status the caller did not expect stops the seed, with the body. */
export interface HttpCall {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that are an answer rather than a failure. */
  expect?: number[];
}

export function jsonClient(token: string) {
  return async function call<T = unknown>(
    url: string,
    { method = 'GET', body, headers = {}, expect = [200, 201, 202, 204] }: HttpCall = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-correlation-id': 'demo-seed',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status))
      throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export type JsonClient = ReturnType<typeof jsonClient>;

/** Polls until `check` answers something, or gives up with null after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | null>,
  timeoutMs: number,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== null || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
