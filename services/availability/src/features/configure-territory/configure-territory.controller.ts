import { Body, Controller, Headers, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import { Roles, ZodValidationPipe, parseOr400, timeZoneId } from '@cs/platform';
import { z } from 'zod';
import { isHolidayRegion } from '../../domain/territory/decide';
import { expectedVersion } from '../../infrastructure/http/if-match';
import {
  TERRITORY_COMMANDS,
  type TerritoryCommandHandler,
  territoryStreamId,
} from '../../infrastructure/territory-command-handler';

const body = z.object({
  timeZone: timeZoneId,
  holidayRegion: z
    .string()
    .min(2)
    .max(20)
    .refine(isHolidayRegion, (region) => ({ message: `unknown holiday region "${region}"` })),
  averageSpeedKmh: z.number().positive().max(200).optional(),
  detourFactor: z.number().min(1).max(5).optional(),
  serviceRadiusKm: z.number().positive().max(1000).optional(),
  defaults: z
    .object({
      minNoticeMinutes: z.number().int().min(0).optional(),
      horizonDays: z.number().int().positive().max(730).optional(),
      maxBookingsPerDay: z.number().int().positive().max(100).optional(),
      reminderOffsetsMinutes: z.array(z.number().int().positive()).max(10).optional(),
    })
    .optional(),
});

@ApiTags('territories')
@ApiBearerAuth()
@Controller('v1/territories')
export class ConfigureTerritoryController {
  constructor(@Inject(TERRITORY_COMMANDS) private readonly territories: TerritoryCommandHandler) {}

  @Put(':territoryId')
  @Roles('service')
  @ApiOperation({
    summary: "Replace a franchise's rules (time zone, holidays, travel, defaults for its Pros)",
  })
  async configure(
    @Param('territoryId') territoryId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @Headers('if-match') ifMatch?: string,
  ) {
    parseOr400(id, territoryId, 'params');
    const result = await this.territories.handle(
      territoryStreamId(territoryId),
      {
        type: 'configure_territory',
        territoryId,
        settings: {
          timeZone: input.timeZone,
          holidayRegion: input.holidayRegion,
          averageSpeedKmh: input.averageSpeedKmh ?? null,
          detourFactor: input.detourFactor ?? null,
          serviceRadiusKm: input.serviceRadiusKm ?? null,
          defaults: {
            minNoticeMinutes: input.defaults?.minNoticeMinutes ?? null,
            horizonDays: input.defaults?.horizonDays ?? null,
            maxBookingsPerDay: input.defaults?.maxBookingsPerDay ?? null,
            reminderOffsetsMinutes: input.defaults?.reminderOffsetsMinutes ?? null,
          },
        },
      },
      { expectedVersion: expectedVersion(ifMatch) },
    );
    return { territoryId, version: result.version };
  }
}
