import { personalDataConfigSchema } from '@cs/eventing';
import { z } from 'zod';

const publicUrl = z
  .string()
  .url('must be a URL')
  .refine((url) => /^https?:\/\//.test(url), 'must be an http:// or https:// URL')
  .optional();

export const configSchema = z.object({
  /** The key store the Pros' home locations are sealed with (docs/adr/0008). */
  ...personalDataConfigSchema.shape,
  /** How often an idle SSE stream gets a comment, so proxies keep it open. */
  SSE_HEARTBEAT_MS: z.coerce.number().int().positive().default(15_000),
  /** gRPC `cs.availability.v1.Availability` (docs/api.md). */
  GRPC_PORT: z.coerce.number().int().min(1).max(65_535).default(50_053),
  /** Where browsers reach the booking service from the week page (`/ui/`). */
  BOOKING_PUBLIC_URL: publicUrl,
  /** Where browsers reach the sync service (a Pro's sync status) from the week page. */
  SYNC_PUBLIC_URL: publicUrl,
});

export type AvailabilityConfig = z.infer<typeof configSchema>;
