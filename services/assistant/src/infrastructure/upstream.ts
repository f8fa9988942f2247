import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, problemType } from '@cs/platform';
import { type AssistantConfig } from '../config';

export type UpstreamService = 'availability' | 'booking';

/** A service's answer as the tools pass it on: the status and the JSON (a problem on refusal). */
export interface UpstreamAnswer {
  status: number;
  body: unknown;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  path: string;
  /** The caller's own `Authorization` header: the services decide what this caller may do. */
  authorization: string;
  body?: unknown;
}

/** The availability and booking HTTP APIs, called on behalf of the caller. */
@Injectable()
export class Upstream {
  private readonly urls: Record<UpstreamService, string>;
  private readonly timeoutMs: number;

  constructor(@Inject(CONFIG) config: AssistantConfig) {
    this.urls = { availability: config.AVAILABILITY_URL, booking: config.BOOKING_URL };
    this.timeoutMs = config.UPSTREAM_TIMEOUT_MS;
  }

  async call(service: UpstreamService, request: UpstreamRequest): Promise<UpstreamAnswer> {
    const headers: Record<string, string> = { authorization: request.authorization };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(`${this.urls[service]}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    } catch (error) {
      return {
        status: 503,
        body: {
          type: problemType('service-unreachable'),
          title: 'Service Unavailable',
          status: 503,
          detail: `The ${service} service did not answer (${error instanceof Error ? error.message : String(error)}); nothing may have been done, or it may have: ask again before retrying.`,
        },
      };
    }
  }

  /** Whether the service says it is ready (`/health/ready`), within the tools' timeout. */
  async ready(service: UpstreamService): Promise<boolean> {
    try {
      const response = await fetch(`${this.urls[service]}/health/ready`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
