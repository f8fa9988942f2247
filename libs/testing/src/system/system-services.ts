import { randomBytes } from 'node:crypto';
import { testPersonalDataEnv } from '../test-personal-data';

export const SYSTEM_SERVICES = [
  'connector',
  'sync',
  'availability',
  'booking',
  'notification',
] as const;

export type SystemServiceName = (typeof SYSTEM_SERVICES)[number];

export interface ServiceSetting {
  port: number;
  grpcPort: number;
  schema: string;
  /** The key store's schema, shared by availability, booking and notification. */
  personalDataSchema: string;
  /** Where booking fetches notification's part of a person's export. */
  notificationUrl: string;
  smtpUrl: string;
}

/**
 * What each service needs besides the shared variables (`scripts/up.sh` and each service's own
 * config schema), tuned for tests: quick polls and retries, so a fault heals within seconds.
 */
export function serviceEnv(
  name: SystemServiceName,
  setting: ServiceSetting,
): Record<string, string> {
  const common = { PORT: String(setting.port), DB_SCHEMA: setting.schema };
  switch (name) {
    case 'connector':
      return {
        ...common,
        CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        // The test's CalDAV server and feeds live on loopback.
        CALDAV_ALLOW_PRIVATE_ADDRESSES: 'true',
        ICS_ALLOW_PRIVATE_ADDRESSES: 'true',
      };
    case 'sync':
      return {
        ...common,
        SYNC_POLL_INTERVAL_MS: '2000',
        SYNC_TICK_MS: '200',
        SYNC_MAX_BACKOFF_MS: '2000',
        SYNC_REQUEST_TIMEOUT_MS: '5000',
        SYNC_WRITE_LEASE_MS: '10000',
        SYNC_BREAKER_COOLDOWN_MS: '2000',
      };
    case 'availability':
      return {
        ...common,
        ...testPersonalDataEnv(setting.personalDataSchema),
        GRPC_PORT: String(setting.grpcPort),
      };
    case 'booking':
      return {
        ...common,
        ...testPersonalDataEnv(setting.personalDataSchema),
        GRPC_PORT: String(setting.grpcPort),
        NOTIFICATION_URL: setting.notificationUrl,
      };
    case 'notification':
      return {
        ...common,
        ...testPersonalDataEnv(setting.personalDataSchema),
        SMTP_URL: setting.smtpUrl,
        DISPATCH_INTERVAL_MS: '200',
        DISPATCH_LEASE_MS: '5000',
        RETRY_BASE_MS: '500',
        RETRY_MAX_MS: '3000',
      };
    default: {
      const unknown: never = name;
      throw new Error(`unknown service ${String(unknown)}`);
    }
  }
}
