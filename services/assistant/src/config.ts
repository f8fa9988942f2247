import { z } from 'zod';

const serviceUrl = z
  .string()
  .url('must be a URL')
  .transform((url) => url.replace(/\/+$/, ''));

/** The assistant's own variables, besides those every service reads (docs/api.md "Assistant tools"). */
export const assistantConfigSchema = z.object({
  /** Where the tools find the availability service's HTTP API. */
  AVAILABILITY_URL: serviceUrl.default('http://127.0.0.1:3103'),
  /** Where the tools find the booking service's HTTP API. */
  BOOKING_URL: serviceUrl.default('http://127.0.0.1:3104'),
  /** How long a tool waits for a service's answer. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export type AssistantConfig = z.infer<typeof assistantConfigSchema>;
