import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
  assertCanAccessPro,
} from '@cs/platform';
import { z } from 'zod';
import { orRuleViolation } from '../../infrastructure/http/scheduling-problem';
import { ProAvailability } from '../view-availability/pro-availability';
import { optimizeDay } from './optimize-day';

const body = z.object({ date: z.string().date() });
const iso = (instant: number) => new Date(instant).toISOString();

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/pros/:proId/schedule/optimize')
export class OptimizeScheduleController {
  constructor(
    private readonly availability: ProAvailability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Proposals only: nothing moves until a booking reschedule applies one. */
  @Post()
  @HttpCode(200)
  @Roles('service', 'pro')
  @ApiOperation({
    summary: "Moves of movable bookings that cut a day's travel, without breaking any rule",
  })
  async optimize(
    @Param('proId') proId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertCanAccessPro(principal, proId);
    const schedule = await this.availability.scheduleFor(principal, proId);
    const plan = await orRuleViolation(() =>
      optimizeDay(schedule, input.date, this.clock.now().getTime()),
    );
    return {
      proposals: plan.proposals.map((p) => ({
        bookingId: p.bookingId,
        from: iso(p.from),
        to: iso(p.to),
        travelSavedMinutes: p.travelSavedMinutes,
        explanation: p.explanation,
      })),
      travelBeforeMinutes: plan.travelBeforeMinutes,
      travelAfterMinutes: plan.travelAfterMinutes,
    };
  }
}
