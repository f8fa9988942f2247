import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id } from '@cs/contracts';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  parseOr400,
  type Principal,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { z } from 'zod';
import { ConnectCalendarHandler } from './connect-calendar.handler';
import { StartGoogleAuthorization } from './start-google-authorization';
import { StartMicrosoftAuthorization } from './start-microsoft-authorization';

const httpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^(https?|webcals?):/i.test(u), 'must be an http(s) URL');

const body = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('caldav'),
    serverUrl: httpUrl,
    username: z.string().min(1).max(500),
    password: z.string().min(1).max(1000),
  }),
  z.object({ provider: z.literal('ics'), url: httpUrl }),
  z.object({ provider: z.literal('google') }),
  z.object({ provider: z.literal('microsoft') }),
  z.object({ provider: z.literal('calendly'), accessToken: z.string().min(1).max(4000) }),
]);

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/pros/:proId/connections')
export class ConnectCalendarController {
  constructor(
    private readonly handler: ConnectCalendarHandler,
    private readonly google: StartGoogleAuthorization,
    private readonly microsoft: StartMicrosoftAuthorization,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('service', 'pro')
  @ApiOperation({
    summary:
      "Connect a Pro's CalDAV account, iCalendar feed or Calendly (personal access token; lists its calendars), or start connecting Google or Microsoft (answers the consent URL)",
  })
  async connect(
    @Param('proId') proId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    parseOr400(id, proId, 'params');
    assertCanAccessPro(principal, proId);
    if (input.provider === 'google') return this.google.start(proId);
    if (input.provider === 'microsoft') return this.microsoft.start(proId);
    return this.handler.connect(proId, input, idempotencyKey ?? null);
  }
}
