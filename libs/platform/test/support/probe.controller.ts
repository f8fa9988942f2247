import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  type RawBodyRequest,
  Req,
} from '@nestjs/common';
import { currentContext, type ExecutionContext } from '@cs/eventing';
import { type Request } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { z } from 'zod';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  parseOr400,
  type Principal,
  ProblemException,
  Public,
  Roles,
  timeZoneId,
  ZodValidationPipe,
} from '../../src';

const hhmm = z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM');
const weeklyHoursSchema = z.object({
  timeZone: timeZoneId,
  weeklyHours: z.array(z.object({ day: z.number().int().min(0).max(6), start: hhmm, end: hhmm })),
});
const searchSchema = z.object({ limit: z.coerce.number().int().positive() });

export const SECRET_FAILURE = 'connection to db-primary.internal:5432 refused, password=hunter2';

function snapshot(): ExecutionContext | undefined {
  const context = currentContext();
  return context && { ...context, actor: { ...context.actor } };
}

/** Routes that exercise the platform the way a service's handlers would. */
@Controller('probe')
export class ProbeController {
  constructor(private readonly logger: PinoLogger) {}

  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal) {
    this.logger.info({ token: 'abc', nested: { password: 'hunter2' } }, 'whoami called');
    return { principal, context: snapshot() };
  }

  @Public()
  @Get('public')
  open() {
    return { context: snapshot() };
  }

  @Roles('service')
  @Get('service-only')
  serviceOnly() {
    return { ok: true };
  }

  @Get('pros/:proId')
  pro(@CurrentPrincipal() principal: Principal, @Param('proId') proId: string) {
    assertCanAccessPro(principal, proId);
    return { proId };
  }

  @Post('weekly-hours')
  weeklyHours(
    @Body(new ZodValidationPipe(weeklyHoursSchema)) body: z.infer<typeof weeklyHoursSchema>,
  ) {
    return body;
  }

  @Public()
  @Post('webhook')
  webhook(@Req() req: RawBodyRequest<Request>, @Body() body: unknown) {
    return { raw: req.rawBody?.toString('utf8'), parsed: body };
  }

  @Get('search')
  search(@Query() query: unknown) {
    return parseOr400(searchSchema, query, 'query');
  }

  @Get('boom')
  boom(): never {
    throw new Error(SECRET_FAILURE);
  }

  @Get('throttled')
  throttled(): never {
    throw new ProblemException({
      status: 429,
      type: 'rate-limited',
      title: 'Too many requests',
      retryAfterSeconds: 30,
    });
  }

  @Get('taken')
  taken(): never {
    throw new ProblemException({
      status: 409,
      type: 'slot-taken',
      title: 'Slot no longer available',
      detail: 'Someone booked it first.',
      extensions: { alternatives: ['2030-01-01T10:00:00Z'] },
    });
  }
}
