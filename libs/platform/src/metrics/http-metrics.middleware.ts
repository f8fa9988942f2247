import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { HttpMetrics } from './http-metrics';

const UNMATCHED = 'unmatched';

/**
 * Labels by the route pattern Express matched (`/v1/pros/:proId`), never the raw URL, which
 * would make one time series per id.
 */
function routeOf(req: Request): string {
  const route: unknown = req.route;
  if (typeof route === 'object' && route !== null && 'path' in route) {
    const { path } = route as { path: unknown };
    if (typeof path === 'string') return `${req.baseUrl}${path}`;
  }
  return UNMATCHED;
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: HttpMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observe(req.method, routeOf(req), res.statusCode, seconds);
    });
    next();
  }
}
