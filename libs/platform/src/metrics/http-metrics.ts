import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@cs/eventing';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

const DURATION = 'http_request_duration_seconds';

// Any default metric will do as the marker that a registry already collects them: asking
// twice makes prom-client throw on the duplicate names.
const DEFAULT_METRIC_MARKER = 'process_cpu_user_seconds_total';

/** Request timings and the Node runtime metrics, in the registry the service exposes. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<Label>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    if (registry.getSingleMetric(DEFAULT_METRIC_MARKER) === undefined) {
      collectDefaultMetrics({ register: registry });
    }
    const existing = registry.getSingleMetric(DURATION);
    this.duration =
      existing instanceof Histogram
        ? (existing as Histogram<Label>)
        : new Histogram<Label>({
            name: DURATION,
            help: 'HTTP request duration in seconds, by method, route pattern and status',
            labelNames: ['method', 'route', 'status'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            registers: [registry],
          });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.duration.observe({ method, route, status: String(status) }, seconds);
  }
}
