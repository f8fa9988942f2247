import { z } from 'zod';
import { id, instant } from '../events/common';
import { checkRange, geoParams, rangeParams } from './query-params';

const MAX_SEARCH_DAYS = 31;

/** The questions of `GET /v1/pros/{proId}/availability`, as query strings (gRPC sends the same). */
export const availabilityFields = {
  serviceId: id,
  ...rangeParams,
  timeZone: z.string().min(1).max(64).optional(),
  ...geoParams,
  emergency: z.enum(['true', 'false']).optional(),
};

export const latLngTogether = (q: { lat?: number; lng?: number }, ctx: z.RefinementCtx) => {
  if ((q.lat === undefined) !== (q.lng === undefined))
    ctx.addIssue({ code: 'custom', path: ['lng'], message: 'lat and lng go together' });
};

/** docs/api.md `GET /v1/pros/{proId}/availability`. */
export const availabilityParams = checkRange(
  z.object(availabilityFields).superRefine(latLngTogether),
);

/** docs/api.md `POST /v1/availability/search`. */
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
