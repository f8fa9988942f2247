import { z } from 'zod';
import { parseCredentialKeys } from '@cs/eventing';

const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .default('false')
  .transform((value) => value === 'true');
const positive = z.coerce.number({ invalid_type_error: 'must be a number' }).int().positive();

export const connectorConfigSchema = z.object({
  /** `k2:<base64 32 bytes>,k1:<base64 32 bytes>`, newest first. */
  CREDENTIALS_KEYS: z.string().superRefine((value, ctx) => {
    try {
      parseCredentialKeys(value);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    }
  }),
  /** Tests only: feeds on loopback and private networks are refused otherwise. */
  ICS_ALLOW_PRIVATE_ADDRESSES: flag,
  /** CalDAV servers on loopback and private networks (self-hosted, the demo, tests). */
  CALDAV_ALLOW_PRIVATE_ADDRESSES: flag,
  ICS_MAX_BYTES: positive.default(10 * 1024 * 1024),
  /** Each feed fetch as a whole, redirects and body included. */
  ICS_TIMEOUT_MS: positive.default(10_000),
  /** Each request to a provider as a whole (Google, Graph, CalDAV, Calendly). */
  PROVIDER_TIMEOUT_MS: positive.default(20_000),
  /** Connecting to any provider or feed: a server that never accepts costs this, not the deadline. */
  PROVIDER_CONNECT_TIMEOUT_MS: positive.default(5_000),
  /** Without a client id Google cannot be connected. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where Google sends the Pro back: this service's `/v1/oauth/google/callback`. */
  GOOGLE_REDIRECT_URI: z.string().url().optional(),
  GOOGLE_API_ROOT: z.string().url().default('https://www.googleapis.com/'),
  GOOGLE_OAUTH_AUTH_URL: z.string().url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_OAUTH_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_OAUTH_REVOKE_URL: z.string().url().default('https://oauth2.googleapis.com/revoke'),
  OAUTH_STATE_TTL_MS: positive.default(10 * 60_000),
  /** Without a client id Microsoft (Outlook, Microsoft 365) cannot be connected. */
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where Entra ID sends the Pro back: this service's `/v1/oauth/microsoft/callback`. */
  MICROSOFT_REDIRECT_URI: z.string().url().optional(),
  /** MSAL refuses an authority that is not https (`authority_uri_insecure`). */
  MICROSOFT_AUTHORITY: z
    .string()
    .url()
    .refine((value) => value.startsWith('https://'), 'must be an https URL')
    .default('https://login.microsoftonline.com/common'),
  MICROSOFT_GRAPH_URL: z
    .string()
    .url()
    .refine((value) => value.startsWith('https://'), 'must be an https URL')
    .transform((value) => value.replace(/\/+$/, ''))
    .default('https://graph.microsoft.com/v1.0'),
  /** Tests only: a PEM file of a CA to trust for the Microsoft endpoints (the emulator's). */
  MICROSOFT_CA_FILE: z.string().min(1).optional(),
  /**
   * This service's public base URL as providers reach it (`https://calendar.example.com`);
   * webhooks go to `<it>/webhooks/<provider>`. Without it nothing subscribes and polling alone
   * keeps calendars fresh.
   */
  PUBLIC_WEBHOOK_URL: z
    .string()
    .url()
    .refine((value) => {
      const url = new URL(value);
      return (
        url.protocol === 'https:' ||
        (url.protocol === 'http:' &&
          (/^127\.\d+\.\d+\.\d+$/.test(url.hostname) ||
            ['localhost', '[::1]'].includes(url.hostname)))
      );
    }, 'must be https (plain http only on loopback, for tests)')
    .refine((value) => !new URL(value).search && !new URL(value).hash, 'must have no query')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** Lifetime asked for a push channel; providers cap it (Google and Graph at a week). */
  PUSH_CHANNEL_TTL_MS: positive.default(6 * 86_400_000),
  /** A subscription is renewed this long before it expires. */
  PUSH_RENEW_BEFORE_MS: positive.default(86_400_000),
  /** How often the subscription manager looks for work (new calendars, renewals, retries). */
  PUSH_TICK_MS: positive.default(1_000),
  PUSH_MAX_BACKOFF_MS: positive.default(3_600_000),
  CALENDLY_API_ROOT: z.string().url().default('https://api.calendly.com'),
  /** How old a signed Calendly webhook may be (replays of older ones are refused). */
  CALENDLY_SIGNATURE_TOLERANCE_MS: positive.default(3 * 60_000),
});

export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;
