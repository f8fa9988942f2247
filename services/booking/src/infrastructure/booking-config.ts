import { personalDataConfigSchema } from '@cs/eventing';
import { z } from 'zod';

/** The booking service's own variables, besides those every service reads. */
export const bookingConfigSchema = z.object({
  /** The key store clients' contact details are sealed with (docs/adr/0008). */
  ...personalDataConfigSchema.shape,
  /** Where a person's export fetches what the notification service holds (docs/adr/0017). */
  NOTIFICATION_URL: z
    .string()
    .url('must be a URL')
    .refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL')
    .default('http://127.0.0.1:3105'),
  /** gRPC `cs.booking.v1.Booking` (docs/api.md). */
  GRPC_PORT: z.coerce.number().int().min(1).max(65_535).default(50_054),
  /** How long a hold lasts unless confirmed (docs/api.md: 10 minutes). */
  HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** How often due holds are looked for. */
  HOLD_EXPIRY_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  /** How long a waitlist offer waits for an answer before the slot goes to the next in line. */
  WAITLIST_OFFER_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
});

export type BookingConfig = z.infer<typeof bookingConfigSchema>;

export const BOOKING_CONFIG = Symbol('BOOKING_CONFIG');
