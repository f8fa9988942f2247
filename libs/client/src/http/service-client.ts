import { type Problem } from './answers';
import {
  type RetryNotice,
  type RetryPolicy,
  retryAfterMs,
  withRetries,
  type Outcome,
} from './retry';
import { type Session } from './session';
import {
  type CallArgs,
  type CallInit,
  type OperationOf,
  type PathsWith,
  type Query,
} from './typed-paths';

/** A 2xx with its body, or anything else with its problem; status 0 when no answer came. */
export type Answer<T> =
  | { ok: true; call: string; status: number; body: T; headers: Headers; attempts: number }
  | {
      ok: false;
      /** `"POST booking /v1/bookings"`: what was asked, for messages. */
      call: string;
      status: number;
      body: Problem;
      headers: Headers | undefined;
      attempts: number;
      /** Retries ran out while the answer was still one worth repeating. */
      exhausted: boolean;
    };

export interface ServiceClientOptions {
  service: string;
  /** Read before every try, so a caller may spread tries over instances. */
  baseUrl: string | (() => string);
  session: Session;
  retry: RetryPolicy;
  onRetry?(notice: RetryNotice & { service: string; method: string; path: string }): void;
  timeoutMs: number;
  sleep(ms: number): Promise<void>;
  newKey(): string;
  /** `"POST /v1/bookings"` and the like: operations that get an `Idempotency-Key`. */
  idempotent: readonly string[];
  fetch: typeof fetch;
  /** Sent on every request, before the call's own (`x-correlation-id`, say). */
  headers: Record<string, string>;
}

type AnyInit = CallInit<string, unknown> & { params?: Record<string, string> };

const SAFE_METHODS = new Set(['GET', 'PUT', 'DELETE']);

function fill(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}

function search(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { text };
  }
}

/** The body of an answer with this status (any 2xx if none given); else an error naming it. */
export function bodyOf<T>(answer: Answer<T>, status?: number): T {
  if (answer.ok && (status === undefined || answer.status === status)) return answer.body;
  const expected = status === undefined ? 'a success' : String(status);
  throw new Error(
    `${answer.call}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`,
  );
}

/** One service's HTTP API, typed by its generated `paths`; answers typed by `Answers`. */
export class ServiceClient<Paths, Known> {
  constructor(private readonly options: ServiceClientOptions) {}

  get<P extends PathsWith<Paths, 'get'>>(
    path: P,
    ...args: CallArgs<P, OperationOf<Paths, P, 'get'>>
  ) {
    return this.call<AnswerFor<Known, 'GET', P>>('GET', path, args[0] as AnyInit);
  }

  put<P extends PathsWith<Paths, 'put'>>(
    path: P,
    ...args: CallArgs<P, OperationOf<Paths, P, 'put'>>
  ) {
    return this.call<AnswerFor<Known, 'PUT', P>>('PUT', path, args[0] as AnyInit);
  }

  post<P extends PathsWith<Paths, 'post'>>(
    path: P,
    ...args: CallArgs<P, OperationOf<Paths, P, 'post'>>
  ) {
    return this.call<AnswerFor<Known, 'POST', P>>('POST', path, args[0] as AnyInit);
  }

  delete<P extends PathsWith<Paths, 'delete'>>(
    path: P,
    ...args: CallArgs<P, OperationOf<Paths, P, 'delete'>>
  ) {
    return this.call<AnswerFor<Known, 'DELETE', P>>('DELETE', path, args[0] as AnyInit);
  }

  private async call<T>(method: string, path: string, init: AnyInit = {}): Promise<Answer<T>> {
    const { session, retry, service } = this.options;
    const target = `${fill(path, init.params)}${search(init.query)}`;
    const headers: Record<string, string> = { ...this.options.headers, ...init.headers };
    if (this.options.idempotent.includes(`${method} ${path}`))
      // Made once, so every retry carries the same key and the service answers it once.
      headers['idempotency-key'] ??= init.idempotencyKey ?? this.options.newKey();
    if (method === 'GET') Object.assign(headers, session.readHeaders());
    const authorization = await session.authorization(init.token);
    if (authorization) headers.authorization = authorization;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const call = `${method} ${service} ${target}`;
    const repeatable = SAFE_METHODS.has(method) || headers['idempotency-key'] !== undefined;

    const tryOnce = async (attempt: number): Promise<Outcome<Answer<T>>> => {
      const baseUrl =
        typeof this.options.baseUrl === 'string' ? this.options.baseUrl : this.options.baseUrl();
      let response: Response;
      try {
        response = await this.options.fetch(`${baseUrl}${target}`, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        const answer = failed<T>(call, 0, {}, undefined, attempt);
        // Without an answer it is unknown whether a command was done: repeat only what may be.
        if (!repeatable) return { final: answer };
        const reason = timedOut ? 'timeout' : 'connection refused or reset';
        return { again: answer, reason, retryAfterMs: undefined };
      }
      const parsed = await parse(response);
      session.observe(response.headers);
      if (response.ok)
        return {
          final: {
            ok: true,
            call,
            status: response.status,
            body: parsed as T,
            headers: response.headers,
            attempts: attempt,
          },
        };
      const answer = failed<T>(call, response.status, parsed as Problem, response.headers, attempt);
      if (!retry.statuses.includes(response.status)) return { final: answer };
      const after = retryAfterMs(response.headers.get('retry-after'));
      const reason = `${response.status}${after === undefined ? '' : ' with Retry-After'}`;
      return { again: answer, reason, retryAfterMs: after };
    };

    const { result, exhausted } = await withRetries(retry, tryOnce, {
      sleep: this.options.sleep,
      onRetry: (notice) => this.options.onRetry?.({ ...notice, service, method, path }),
    });
    return result.ok ? result : { ...result, exhausted };
  }
}

function failed<T>(
  call: string,
  status: number,
  body: Problem,
  headers: Headers | undefined,
  attempts: number,
): Answer<T> {
  return { ok: false, call, status, body, headers, attempts, exhausted: false };
}

export type AnswerFor<Known, M extends string, P extends string> = `${M} ${P}` extends keyof Known
  ? Known[`${M} ${P}`]
  : Record<string, unknown>;
