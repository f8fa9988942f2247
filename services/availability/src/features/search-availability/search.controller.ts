import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type SearchBody, searchBody } from '@cs/contracts';
import { CLOCK, type Clock } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import type { Suggestion } from '@cs/scheduling';
import { SearchAvailability } from './search-availability';
import { ConsistentScheduleRead } from '../../infrastructure/http/consistent-schedule-read';

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/availability/search')
export class SearchController {
  constructor(
    private readonly search: SearchAvailability,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('service', 'pro', 'client')
  @ConsistentScheduleRead()
  @ApiOperation({
    summary:
      'Best slots over a territory or a list of Pros, ranked by travel, packing and preferences',
  })
  async find(
    @Body(new ZodValidationPipe(searchBody)) body: SearchBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    const suggestions = await this.search.suggest(body, this.clock.now().getTime());
    return presentSuggestions(suggestions, principal);
  }
}

/** The answer over HTTP and gRPC alike. */
export function presentSuggestions(suggestions: readonly Suggestion[], principal: Principal) {
  // Score reasons name the neighbouring appointments: busy detail a client must not see.
  const explain = principal.roles.includes('service') || principal.roles.includes('pro');
  return {
    suggestions: suggestions.map((s) => ({
      start: new Date(s.start).toISOString(),
      end: new Date(s.end).toISOString(),
      proIds: s.proIds,
      score: s.score,
      travelMinutes: s.travelMinutes,
      ...(explain ? { parts: s.parts } : {}),
    })),
  };
}
