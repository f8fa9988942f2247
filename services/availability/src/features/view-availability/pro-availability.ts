import { Injectable } from '@nestjs/common';
import { RuleViolation } from '@cs/contracts';
import { type Principal, ProblemException, forbidden } from '@cs/platform';
import { isTimeZone } from '../../domain/time-zone';
import { orRuleViolation } from '../../infrastructure/http/scheduling-problem';
import type { QueryOptions } from '../../infrastructure/read-model/engine-input';
import { ScheduleCache } from '../../infrastructure/read-model/schedule-cache';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';
import { AnswerCache } from './answer-cache';

/** Answers "when is this Pro free" from the cached read model; shared by HTTP and gRPC. */
@Injectable()
export class ProAvailability {
  constructor(
    private readonly cache: ScheduleCache,
    private readonly answers: AnswerCache,
  ) {}

  /** A Pro reads only its own schedule; services and clients read any Pro's slots. */
  assertCanRead(principal: Principal, proId: string): void {
    const isService = principal.roles.includes('service');
    const isClient = principal.roles.includes('client');
    if (!isService && !isClient && principal.proId !== proId)
      throw forbidden(`This token may not act on Pro ${proId}.`);
  }

  async scheduleFor(principal: Principal, proId: string): Promise<ProSchedule> {
    this.assertCanRead(principal, proId);
    const schedule = await this.cache.get(proId);
    if (!schedule)
      throw new ProblemException({ status: 404, type: 'not-found', detail: `no Pro ${proId}` });
    return schedule;
  }

  async slots(principal: Principal, proId: string, options: QueryOptions & { timeZone?: string }) {
    const schedule = await this.scheduleFor(principal, proId);
    const timeZone = options.timeZone ?? schedule.settings.timeZone;
    if (!isTimeZone(timeZone))
      throw new RuleViolation([
        { field: 'timeZone', message: `unknown IANA time zone "${timeZone}"` },
      ]);
    const answer = await orRuleViolation(() =>
      this.answers.answer(schedule, { ...options, timeZone }),
    );
    return { proId, serviceId: options.serviceId, timeZone, ...answer };
  }
}
