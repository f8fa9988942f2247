import { personalDataConfigSchema } from '@cs/eventing';
import { z } from 'zod';

const milliseconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z
  .object({
    /** The key store that opens the clients' contact details bookings carry (docs/adr/0008). */
    ...personalDataConfigSchema.shape,
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().email('must be an email address').default('agenda@careservice.local'),
    MAIL_FROM_NAME: z.string().min(1).default('CareService'),
    /** Where links in alerts point to. */
    APP_URL: z.string().url('must be a URL').default('http://localhost:3000'),
    SMS_API_URL: z.string().url('must be a URL').optional(),
    SMS_ACCOUNT_SID: z.string().min(1).optional(),
    SMS_AUTH_TOKEN: z.string().min(1).optional(),
    SMS_FROM: z.string().min(1).optional(),
    DISPATCH_INTERVAL_MS: milliseconds(1_000),
    /** How long a claimed notification stays with one instance before another may take it. */
    DISPATCH_LEASE_MS: milliseconds(60_000),
    /** How many recipients one instance sends to at once, each over its own SMTP connection. */
    DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
    RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(6),
    RETRY_BASE_MS: milliseconds(60_000),
    RETRY_MAX_MS: milliseconds(3_600_000),
  })
  .superRefine((config, ctx) => {
    if (!config.SMS_API_URL) return;
    for (const key of ['SMS_ACCOUNT_SID', 'SMS_AUTH_TOKEN', 'SMS_FROM'] as const) {
      if (!config[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'required with SMS_API_URL' });
    }
  });

export type NotificationConfig = z.infer<typeof configSchema>;
