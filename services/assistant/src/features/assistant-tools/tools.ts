import {
  availabilityFields,
  bookingRequestSchema,
  cancelBody,
  checkRange,
  id,
  joinWaitlistBody,
  latLngTogether,
  rescheduleBody,
  searchBody,
} from '@cs/contracts';
import { z } from 'zod';
import {
  type UpstreamAnswer,
  type UpstreamRequest,
  type UpstreamService,
} from '../../infrastructure/upstream';

/** A Pro's free slots (`GET /v1/pros/{proId}/availability`) or a territory's (the search). */
export const findSlotsInput = checkRange(
  z
    .object({ proId: id.optional(), territoryId: id.optional(), ...availabilityFields })
    .superRefine((q, ctx) => {
      latLngTogether(q, ctx);
      if ((q.proId === undefined) === (q.territoryId === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['proId'],
          message: 'give either proId or territoryId',
        });
      if (q.territoryId !== undefined && q.emergency !== undefined)
        ctx.addIssue({ code: 'custom', path: ['emergency'], message: 'only with proId' });
    }),
);

const withBooking = <T extends z.ZodRawShape>(body: z.ZodObject<T>) =>
  body.extend({ bookingId: id });

type Call = (caller: string, input: never) => { service: UpstreamService } & UpstreamRequest;

export interface Tool {
  name: string;
  description: string;
  /** The schema the service's HTTP API validates this body with (libs/contracts). */
  input: z.ZodTypeAny;
  request: Call;
  /** Shapes the service's answer for the assistant; the answer as it came when absent. */
  present?: (answer: UpstreamAnswer, input: never) => unknown;
}

const segment = (value: string) => encodeURIComponent(value);

type FindSlots = z.infer<typeof findSlotsInput>;

function findSlots(authorization: string, q: FindSlots) {
  if (q.proId !== undefined) {
    const { proId, ...params } = q;
    const query = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]): Array<[string, string]> =>
        v === undefined ? [] : [[k, String(v)]],
      ),
    );
    return {
      service: 'availability' as const,
      method: 'GET' as const,
      path: `/v1/pros/${segment(proId)}/availability?${query}`,
      authorization,
    };
  }
  return {
    service: 'availability' as const,
    method: 'POST' as const,
    path: '/v1/availability/search',
    authorization,
    body: {
      serviceId: q.serviceId,
      from: q.from,
      to: q.to,
      territoryId: q.territoryId,
      timeZone: q.timeZone,
      location: q.lat === undefined ? undefined : { lat: q.lat, lng: q.lng },
      limit: 100,
    },
  };
}

interface Suggestions {
  suggestions: Array<{ start: string; end: string; proIds: string[] }>;
}

/** The tools, each one HTTP route; the services answer for who may do what. */
export const TOOLS: readonly Tool[] = [
  {
    name: 'find-slots',
    description:
      "Free slots for one service: a Pro's (proId, up to 93 days) or a territory's (territoryId, up to 31 days, at most 100, each with the Pros free then). Times are ISO 8601; give timeZone for local times, lat/lng for the client's location (travel time).",
    input: findSlotsInput,
    request: findSlots as Call,
    present: (answer, q: FindSlots) => {
      if (q.territoryId === undefined || answer.status !== 200) return answer.body;
      const slots = (answer.body as Suggestions).suggestions.map(({ start, end, proIds }) => ({
        start,
        end,
        proIds,
      }));
      return { territoryId: q.territoryId, serviceId: q.serviceId, slots };
    },
  },
  {
    name: 'suggest',
    description:
      'The best slots over a territory or a list of Pros, ranked by travel, packing and preferences (days, earliest and latest time, preferred Pros), best first, with each score; Pros and services also get the reasons (the score parts).',
    input: searchBody,
    request: (authorization, body) => ({
      service: 'availability',
      method: 'POST',
      path: '/v1/availability/search',
      authorization,
      body,
    }),
  },
  {
    name: 'book',
    description:
      'Book a slot (or hold it with hold: true) with one Pro or a group, once or as a series. A client books only for itself (client.clientId must be its own). A taken slot is refused with alternatives.',
    input: bookingRequestSchema,
    request: (authorization, body) => ({
      service: 'booking',
      method: 'POST',
      path: '/v1/bookings',
      authorization,
      body,
    }),
  },
  {
    name: 'reschedule',
    description:
      'Move a confirmed booking to another start (and optionally another Pro); the new slot is taken before the old one is freed. A client moves only its own bookings.',
    input: withBooking(rescheduleBody),
    request: (authorization, { bookingId, ...body }: { bookingId: string }) => ({
      service: 'booking',
      method: 'POST',
      path: `/v1/bookings/${segment(bookingId)}/reschedule`,
      authorization,
      body,
    }),
  },
  {
    name: 'cancel',
    description:
      'Cancel a booking or release a hold, with a reason; the time is free at once. A client cancels only its own bookings.',
    input: withBooking(cancelBody),
    request: (authorization, { bookingId, ...body }: { bookingId: string }) => ({
      service: 'booking',
      method: 'POST',
      path: `/v1/bookings/${segment(bookingId)}/cancel`,
      authorization,
      body,
    }),
  },
  {
    name: 'join-waitlist',
    description:
      'Wait for a slot with a Pro or in a territory within a window: a freed slot that matches is offered, first in line first. A client joins only for itself.',
    input: joinWaitlistBody,
    request: (authorization, body) => ({
      service: 'booking',
      method: 'POST',
      path: '/v1/waitlist',
      authorization,
      body,
    }),
  },
];
