import { Injectable } from '@nestjs/common';
import { RuleViolation, type SearchBody } from '@cs/contracts';
import { type Candidate, type Suggestion, availability, suggestSlots } from '@cs/scheduling';
import { isTimeZone } from '../../domain/time-zone';
import { orRuleViolation } from '../../infrastructure/http/scheduling-problem';
import { availabilityQuery } from '../../infrastructure/read-model/engine-input';
import { ScheduleCache } from '../../infrastructure/read-model/schedule-cache';
import { ScheduleReader } from '../../infrastructure/read-model/schedule-reader';

/** Ranked slots over many Pros: those who offer the service and are not hidden by a stale source. */
@Injectable()
export class SearchAvailability {
  constructor(
    private readonly cache: ScheduleCache,
    private readonly reader: ScheduleReader,
  ) {}

  /** `signal` ends a search whose caller stopped waiting, between one Pro and the next. */
  async suggest(body: SearchBody, now: number, signal?: AbortSignal): Promise<Suggestion[]> {
    const proIds = body.proIds ?? (await this.reader.prosIn(body.territoryId as string));
    const range = { start: Date.parse(body.from), end: Date.parse(body.to) };
    const candidates: Candidate[] = [];
    for (const proId of new Set(proIds)) {
      signal?.throwIfAborted();
      const schedule = await this.cache.get(proId);
      if (!schedule || !schedule.settings.services.some((s) => s.serviceId === body.serviceId))
        continue;
      const query = availabilityQuery(schedule, {
        serviceId: body.serviceId,
        range,
        now,
        clientLocation: body.location ?? null,
      });
      // An empty range asks only about freshness, without computing slots.
      const hidden = availability({
        ...query,
        range: { start: range.start, end: range.start },
      }).blockedByStaleSource;
      if (!hidden) candidates.push({ proId, query });
    }
    const timeZone = body.timeZone ?? candidates[0]?.query.settings.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone))
      throw new RuleViolation([
        { field: 'timeZone', message: `unknown IANA time zone "${timeZone}"` },
      ]);
    return orRuleViolation(() =>
      suggestSlots({
        candidates,
        prosNeeded: body.prosNeeded,
        preferences: body.preferences,
        timeZone,
        limit: body.limit,
      }),
    );
  }
}
