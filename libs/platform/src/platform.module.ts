import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { type RequestHandler } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream } from 'pino';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { type BaseConfig } from './config/base-config';
import { CONFIG } from './config/config.token';
import { ConsistencyTokenMiddleware } from './consistency/consistency-token.middleware';
import { RequestContextMiddleware } from './context/request-context.middleware';
import { ProblemFilter } from './errors/problem.filter';
import { GrpcHealth } from './grpc/grpc-health';
import { HealthController } from './health/health.controller';
import { NatsHealthIndicator } from './health/nats.indicator';
import { PostgresHealthIndicator } from './health/postgres.indicator';
import { bodyParsers } from './http/body-parsers';
import { createRequestLogger } from './logging/request-logger';
import { createRootLogger } from './logging/root-logger';
import { HttpMetrics } from './metrics/http-metrics';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { CallerLimitGuard } from './limits/caller-limit.guard';

export interface PlatformOptions {
  service: string;
  config: BaseConfig;
  /** Where log lines go instead of stdout; tests read them from here. */
  logStream?: DestinationStream;
}

const HTTP_PIPELINE = Symbol('HTTP_PIPELINE');

/**
 * The plumbing every service boots with. PG_POOL, NATS_CONNECTION and METRICS_REGISTRY come
 * from EventingModule, which the service's AppModule imports beside this one.
 */
@Module({})
export class PlatformModule implements NestModule {
  constructor(@Inject(HTTP_PIPELINE) private readonly pipeline: RequestHandler[]) {}

  static forRoot({ service, config, logStream }: PlatformOptions): DynamicModule {
    const rootLogger = createRootLogger(service, config.LOG_LEVEL, logStream);
    const pipeline = [createRequestLogger(rootLogger), ...bodyParsers()];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        // The request logger runs in this module's chain; nestjs-pino only binds it for
        // injected loggers (`useExisting`), so the order below is ours to decide.
        LoggerModule.forRoot({ pinoHttp: { logger: rootLogger }, useExisting: true }),
        TerminusModule.forRoot(),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: HTTP_PIPELINE, useValue: pipeline },
        TokenVerifier,
        HttpMetrics,
        PostgresHealthIndicator,
        NatsHealthIndicator,
        GrpcHealth,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard, which names the caller this one counts.
        { provide: APP_GUARD, useClass: CallerLimitGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [CONFIG, TokenVerifier, GrpcHealth],
    };
  }

  // Context first, so every later step (the request log line, a malformed body) happens
  // inside it; bodies are parsed last, after the request is being logged.
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        RequestContextMiddleware,
        ConsistencyTokenMiddleware,
        HttpMetricsMiddleware,
        ...this.pipeline,
      )
      .forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
