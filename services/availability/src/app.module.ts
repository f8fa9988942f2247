import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, personalDataProvider } from '@cs/eventing';
import { type BaseConfig, READ_CACHE, serviceModules } from '@cs/platform';
import type { AvailabilityConfig } from './config';
import { BulkAbsencesController } from './features/bulk-changes/bulk-absences.controller';
import { BulkProsController } from './features/bulk-changes/bulk-pros.controller';
import { ConfigureProController } from './features/configure-pro/configure-pro.controller';
import { ConfigurePro } from './features/configure-pro/configure-pro.handler';
import { ConfigureTerritoryController } from './features/configure-territory/configure-territory.controller';
import { BusyCalendarController } from './features/explain-busy-time/busy-calendar.controller';
import { BusyController } from './features/explain-busy-time/busy.controller';
import { AbsencesController } from './features/record-absence/absences.controller';
import { AnswerCache } from './features/view-availability/answer-cache';
import { OptimizeScheduleController } from './features/optimize-schedule/optimize-schedule.controller';
import { GetAvailabilityGrpc } from './features/view-availability/get-availability.grpc';
import { SearchGrpc } from './features/search-availability/search.grpc';
import { GrpcCalls } from './infrastructure/grpc/grpc-calls';
import { ProAvailability } from './features/view-availability/pro-availability';
import { ViewAvailabilityController } from './features/view-availability/view-availability.controller';
import { SearchAvailability } from './features/search-availability/search-availability';
import { SearchController } from './features/search-availability/search.controller';
import {
  AvailabilityStreamController,
  SSE_HEARTBEAT_MS,
} from './features/watch-availability/availability-stream.controller';
import { ViewTerritoryController } from './features/view-territory/view-territory.controller';
import { WorkingWindowsController } from './features/view-working-windows/working-windows.controller';
import { PEER_URLS, WebWeekController } from './features/web-week/web-week.controller';
import { availabilityMigrations } from './infrastructure/migrations';
import { proCommandHandlerProvider } from './infrastructure/pro-command-handler';
import { ChangeFeed } from './infrastructure/read-model/change-feed';
import { ScheduleCache } from './infrastructure/read-model/schedule-cache';
import { ScheduleReader } from './infrastructure/read-model/schedule-reader';
import { schedulesProjection } from './infrastructure/read-model/schedules.projection';
import { territoriesProjection } from './infrastructure/territories.projection';
import { territoryCommandHandlerProvider } from './infrastructure/territory-command-handler';

@Module({})
export class AppModule {
  static forRoot(config: BaseConfig & AvailabilityConfig, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: serviceModules('availability', config, {
        context: 'availability',
        clock,
        reads: ['sync', 'booking'],
        projections: [territoriesProjection, schedulesProjection],
        migrations: availabilityMigrations,
      }),
      controllers: [
        ConfigureTerritoryController,
        ViewTerritoryController,
        ConfigureProController,
        AbsencesController,
        BulkAbsencesController,
        BulkProsController,
        ViewAvailabilityController,
        BusyController,
        BusyCalendarController,
        SearchController,
        OptimizeScheduleController,
        GetAvailabilityGrpc,
        SearchGrpc,
        AvailabilityStreamController,
        WorkingWindowsController,
        WebWeekController,
      ],
      providers: [
        personalDataProvider(config),
        territoryCommandHandlerProvider,
        proCommandHandlerProvider,
        ConfigurePro,
        ScheduleReader,
        ScheduleCache,
        ChangeFeed,
        { provide: READ_CACHE, useExisting: ChangeFeed },
        ProAvailability,
        AnswerCache,
        GrpcCalls,
        SearchAvailability,
        { provide: SSE_HEARTBEAT_MS, useValue: config.SSE_HEARTBEAT_MS },
        {
          provide: PEER_URLS,
          useValue: { booking: config.BOOKING_PUBLIC_URL, sync: config.SYNC_PUBLIC_URL },
        },
      ],
    };
  }
}
