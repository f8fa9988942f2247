import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PG_POOL } from '@cs/eventing';
import { ConsistentRead, ProblemException, Roles } from '@cs/platform';
import { Pool } from 'pg';
import { territoriesProjection } from '../../infrastructure/territories.projection';

const table = `proj_${territoriesProjection.name}_territories`;

@ApiTags('territories')
@ApiBearerAuth()
@Controller('v1/territories')
export class ViewTerritoryController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get(':territoryId')
  @Roles('service', 'pro')
  @ConsistentRead({ projections: [territoriesProjection] })
  @ApiOperation({ summary: "A territory's current rules, from the read model" })
  async view(@Param('territoryId') territoryId: string) {
    const { rows } = await this.pool.query<{ settings: object; version: number; updated_at: Date }>(
      `SELECT settings, version, updated_at FROM ${table} WHERE territory_id = $1`,
      [territoryId],
    );
    const row = rows[0];
    if (!row)
      throw new ProblemException({
        status: 404,
        type: 'not-found',
        detail: `no territory ${territoryId}`,
      });
    return {
      territoryId,
      ...row.settings,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
