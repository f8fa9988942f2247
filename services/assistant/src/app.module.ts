import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CLOCK, type Clock } from '@cs/eventing';
import {
  AuthGuard,
  type BaseConfig,
  CONFIG,
  createRootLogger,
  ProblemFilter,
  TokenVerifier,
} from '@cs/platform';
import { LoggerModule } from 'nestjs-pino';
import { type AssistantConfig } from './config';
import { McpController } from './features/assistant-tools/mcp.controller';
import { AssistantHealthController } from './infrastructure/assistant-health.controller';
import { Upstream } from './infrastructure/upstream';

/**
 * No database and no bus: the assistant keeps nothing and decides nothing. It verifies tokens as
 * every service does and hands each call, with the caller's own token, to availability or booking.
 */
@Module({})
export class AppModule {
  static forRoot(config: BaseConfig & AssistantConfig, clock: Clock): DynamicModule {
    const logger = createRootLogger('assistant', config.LOG_LEVEL);
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true })],
      controllers: [AssistantHealthController, McpController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        TokenVerifier,
        Upstream,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
