import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { id, instant } from '@cs/contracts';
import { systemClock } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles, ZodValidationPipe } from '@cs/platform';
import type { Suggestion } from '@cs/scheduling';
import { z } from 'zod';
import { SearchAvailability } from './search-availability';

const MAX_SEARCH_DAYS = 31;

export const searchBody = z
  .object({
    serviceId: id,
    from: instant,
    to: instant,
    territoryId: id.optional(),
    proIds: z.array(id).min(1).max(1000).optional(),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
      .nullish(),
    prosNeeded: z.number().int().positive().max(10).default(1),
    timeZone: z.string().min(1).max(64).optional(),
    limit: z.number().int().positive().max(100).default(10),
    preferences: z
      .object({
        proIds: z.array(id).max(100).optional(),
        daysOfWeek: z.array(z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])).optional(),
        earliestTime: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
          .optional(),
        latestTime: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
          .optional(),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.territoryId === undefined) === (b.proIds === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['territoryId'],
        message: 'give either territoryId or proIds',
      });
    const span = Date.parse(b.to) - Date.parse(b.from);
    if (span <= 0 || span > MAX_SEARCH_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be after from, at most ${MAX_SEARCH_DAYS} days`,
      });
  });

export type SearchBody = z.infer<typeof searchBody>;

@ApiTags('availability')
@ApiBearerAuth()
@Controller('v1/availability/search')
export class SearchController {
  constructor(private readonly search: SearchAvailability) {}

  @Post()
  @HttpCode(200)
  @Roles('service', 'pro', 'client')
  @ApiOperation({
    summary:
      'Best slots over a territory or a list of Pros, ranked by travel, packing and preferences',
  })
  async find(
    @Body(new ZodValidationPipe(searchBody)) body: SearchBody,
    @CurrentPrincipal() principal: Principal,
  ) {
    const suggestions = await this.search.suggest(body, systemClock.now().getTime());
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
