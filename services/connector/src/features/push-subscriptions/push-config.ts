import type { Provider } from '../../domain/provider/provider';
import type { ConnectorConfig } from '../../infrastructure/connector-config';

export const PUSH_CONFIG = Symbol('PUSH_CONFIG');

export interface PushConfig {
  /** Where providers reach us; null: push is off and polling alone keeps calendars fresh. */
  baseUrl: string | null;
  renewBeforeMs: number;
  tickMs: number;
  maxBackoffMs: number;
  calendlyToleranceMs: number;
}

export const pushConfig = (config: ConnectorConfig): PushConfig => ({
  baseUrl: config.PUBLIC_WEBHOOK_URL ?? null,
  renewBeforeMs: config.PUSH_RENEW_BEFORE_MS,
  tickMs: config.PUSH_TICK_MS,
  maxBackoffMs: config.PUSH_MAX_BACKOFF_MS,
  calendlyToleranceMs: config.CALENDLY_SIGNATURE_TOLERANCE_MS,
});

export const webhookUrl = (baseUrl: string, provider: Provider) =>
  `${baseUrl}/webhooks/${provider}`;
