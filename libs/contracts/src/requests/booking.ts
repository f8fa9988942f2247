import { IcalError, parseRecurrenceRule } from '@cs/ical';
import { z } from 'zod';
import { id, instant } from '../events/common';
import { timeZoneId } from './time-zone-id';

// Checked with the rest of the body, so a bad rule is named in the same answer as bad fields.
const rrule = z
  .string()
  .min(1)
  .max(500)
  .superRefine((value, ctx) => {
    try {
      parseRecurrenceRule(value);
    } catch (error) {
      if (!(error instanceof IcalError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  });

export const clientSchema = z.object({
  clientId: id,
  name: z.string().max(200).optional(),
  email: z.string().email().optional(),
  phone: z.string().max(40).optional(),
  timeZone: timeZoneId.optional(),
  locale: z.string().max(20).optional(),
});

export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: z.string().max(500).optional(),
});

/** docs/api.md `POST /v1/bookings`. */
export const bookingRequestSchema = z
  .object({
    serviceId: id,
    proId: id.optional(),
    proIds: z.array(id).min(1).max(10).optional(),
    start: instant,
    client: clientSchema,
    location: locationSchema.nullable().default(null),
    priority: z.enum(['normal', 'emergency']).default('normal'),
    recurrence: z
      .object({
        rrule,
        onConflict: z.enum(['reject', 'skip']).default('reject'),
      })
      .nullable()
      .default(null),
    hold: z.boolean().default(false),
    flexibility: z
      .object({
        allowAutoReschedule: z.boolean().default(false),
        window: z.object({ from: instant, to: instant }).nullable().default(null),
      })
      .default({}),
    override: z
      .object({ reason: z.string().trim().min(1).max(500) })
      .nullable()
      .default(null),
  })
  .superRefine((value, ctx) => {
    if ((value.proId === undefined) === (value.proIds === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['proId'],
        message: 'give exactly one of proId and proIds',
      });
    }
    if (value.proIds && new Set(value.proIds).size !== value.proIds.length) {
      ctx.addIssue({ code: 'custom', path: ['proIds'], message: 'each Pro once' });
    }
  });

export type BookingRequestBody = z.infer<typeof bookingRequestSchema>;

/** docs/api.md `POST /v1/bookings/{bookingId}/reschedule`. */
export const rescheduleBody = z.object({ start: instant, proId: id.optional() });

/** docs/api.md `POST /v1/bookings/{bookingId}/cancel`. */
export const cancelBody = z.object({ reason: z.string().max(500).default('') });

/** docs/api.md `POST /v1/waitlist`. */
export const joinWaitlistBody = z.object({
  serviceId: id,
  proId: id.optional(),
  territoryId: id.optional(),
  window: z.object({ from: instant, to: instant }),
  client: clientSchema,
  location: locationSchema.nullable().default(null),
});
