import { Body, Controller, Headers, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  assertCanAccessPro,
  parseBody,
  parseOr400,
} from '@cs/platform';
import { expectedVersion } from '../../infrastructure/http/if-match';
import { ConfigurePro } from './configure-pro.handler';
import { settingsBodyIn } from './settings-body';

@ApiTags('pros')
@ApiBearerAuth()
@Controller('v1/pros')
export class ConfigureProController {
  constructor(private readonly configurePro: ConfigurePro) {}

  @Put(':proId')
  @Roles('service', 'pro')
  @ApiOperation({
    summary: "Replace a Pro's settings: hours, services, limits, time zone, territory",
  })
  async configure(
    @Param('proId') proId: string,
    @Body() raw: unknown,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch?: string,
  ) {
    parseOr400(id, proId, 'params');
    assertCanAccessPro(principal, proId);
    const territoryExists = (territoryId: string) => this.configurePro.territoryExists(territoryId);
    const body = await parseBody(settingsBodyIn(territoryExists), raw);
    return this.configurePro.handle(proId, body, expectedVersion(ifMatch));
  }
}
