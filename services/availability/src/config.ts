import { z } from 'zod';

export const configSchema = z.object({
  /** How often an idle SSE stream gets a comment, so proxies keep it open. */
  SSE_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  /** gRPC `cs.availability.v1.Availability` (docs/api.md). */
  GRPC_PORT: z.coerce.number().int().min(1).max(65_535).default(50_053),
  /** Where browsers reach the booking service from the week page (`/ui/`). */
  BOOKING_PUBLIC_URL: z
    .string()
    .url('must be a URL')
    .refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL')
    .optional(),
});

export type AvailabilityConfig = z.infer<typeof configSchema>;
