import { Controller, Inject } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcMethod } from '@nestjs/microservices';
import { searchBody } from '@cs/contracts';
import { CLOCK, type Clock } from '@cs/eventing';
import { parseOr400 } from '@cs/platform';
import { GrpcCalls } from '../../infrastructure/grpc/grpc-calls';
import { SearchAvailability } from './search-availability';
import { presentSuggestions } from './search.controller';

interface SearchRequest {
  proIds?: string[];
  preferences?: { proIds?: string[]; daysOfWeek?: string[] } & Record<string, unknown>;
  [field: string]: unknown;
}

/** proto3 cannot tell an empty list from a missing one; HTTP's "left out" is the empty list. */
const listOrAbsent = (list: string[] | undefined) => (list?.length ? list : undefined);

/** `cs.availability.v1.Availability/Search`: the HTTP answer, from the same code. */
@Controller()
export class SearchGrpc {
  constructor(
    private readonly search: SearchAvailability,
    private readonly calls: GrpcCalls,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @GrpcMethod('Availability', 'Search')
  find(request: SearchRequest, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.calls.run(metadata, call, async (principal, signal) => {
      const body = parseOr400(
        searchBody,
        {
          ...request,
          proIds: listOrAbsent(request.proIds),
          preferences: request.preferences && {
            ...request.preferences,
            proIds: listOrAbsent(request.preferences.proIds),
            daysOfWeek: listOrAbsent(request.preferences.daysOfWeek),
          },
        },
        'body',
      );
      const suggestions = await this.search.suggest(body, this.clock.now().getTime(), signal);
      return presentSuggestions(suggestions, principal);
    });
  }
}
