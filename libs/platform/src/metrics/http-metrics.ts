import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@cs/eventing';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status_class';

const DURATION = 'http_request_duration_seconds';
const REQUESTS = 'http_requests_total';
const ERRORS = 'http_request_errors_total';

// Any default metric will do as the marker that a registry already collects them: asking
// twice makes prom-client throw on the duplicate names.
const DEFAULT_METRIC_MARKER = 'process_cpu_user_seconds_total';

/** `2xx`, `4xx`, …: exact codes would multiply the series for little more insight. */
const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * Rate, errors and duration per route (RED) and the Node runtime metrics, in the registry the
 * service exposes. Errors are the answers that are the service's fault (5xx); a 4xx is the
 * caller's and shows in the requests by status class.
 */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<Label>;
  private readonly requests: Counter<Label>;
  private readonly errors: Counter<'method' | 'route'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    if (registry.getSingleMetric(DEFAULT_METRIC_MARKER) === undefined) {
      collectDefaultMetrics({ register: registry });
    }
    const registers = [registry];
    this.duration = ownOrExisting(
      registry,
      DURATION,
      () =>
        new Histogram<Label>({
          name: DURATION,
          help: 'HTTP request duration in seconds, by method, route pattern and status class',
          labelNames: ['method', 'route', 'status_class'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
          registers,
        }),
    );
    this.requests = ownOrExisting(
      registry,
      REQUESTS,
      () =>
        new Counter<Label>({
          name: REQUESTS,
          help: 'HTTP requests answered, by method, route pattern and status class',
          labelNames: ['method', 'route', 'status_class'],
          registers,
        }),
    );
    this.errors = ownOrExisting(
      registry,
      ERRORS,
      () =>
        new Counter<'method' | 'route'>({
          name: ERRORS,
          help: 'HTTP requests answered with a 5xx, by method and route pattern',
          labelNames: ['method', 'route'],
          registers,
        }),
    );
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status_class: statusClass(status) };
    this.duration.observe(labels, seconds);
    this.requests.inc(labels);
    if (status >= 500) this.errors.inc({ method, route });
  }
}

/** A second app on the same registry (tests) shares the metric rather than failing on its name. */
function ownOrExisting<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}
