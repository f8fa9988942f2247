import { z } from 'zod';
import { instant } from '../events/common';

const MAX_RANGE_DAYS = 93;

/** `from`/`to` of a read: ISO instants, in order, at most a quarter apart. */
export const rangeParams = {
  from: instant,
  to: instant,
};

export const checkRange = <T extends { from: string; to: string }>(schema: z.ZodType<T>) =>
  schema.superRefine((q, ctx) => {
    const span = Date.parse(q.to) - Date.parse(q.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (span > MAX_RANGE_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${MAX_RANGE_DAYS} days after from`,
      });
  });

export const geoParams = {
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
};
