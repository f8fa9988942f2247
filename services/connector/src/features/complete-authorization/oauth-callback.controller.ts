import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, ZodValidationPipe } from '@cs/platform';
import { z } from 'zod';
import { CompleteAuthorizationHandler } from './complete-authorization.handler';

const query = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
});

@ApiTags('connections')
@Controller('v1/oauth/google')
export class OAuthCallbackController {
  constructor(private readonly handler: CompleteAuthorizationHandler) {}

  /** Public: the browser comes back from Google; the signed single-use state is the proof. */
  @Get('callback')
  @Public()
  @ApiOperation({ summary: 'Completes connecting Google: exchanges the code, lists the calendars' })
  callback(@Query(new ZodValidationPipe(query)) input: z.infer<typeof query>) {
    return this.handler.complete(input, 'google');
  }
}

@ApiTags('connections')
@Controller('v1/oauth/microsoft')
export class MicrosoftOAuthCallbackController {
  constructor(private readonly handler: CompleteAuthorizationHandler) {}

  /** Public: the browser comes back from Entra ID; the signed single-use state is the proof. */
  @Get('callback')
  @Public()
  @ApiOperation({
    summary: 'Completes connecting Microsoft: exchanges the code, lists the calendars',
  })
  callback(@Query(new ZodValidationPipe(query)) input: z.infer<typeof query>) {
    return this.handler.complete(input, 'microsoft');
  }
}
