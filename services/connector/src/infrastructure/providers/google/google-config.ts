import type { ConnectorConfig } from '../../connector-config';
import type { GoogleClientConfig } from './google-client';

export const GOOGLE_CLIENT_CONFIG = Symbol('GOOGLE_CLIENT_CONFIG');

/** Google's settings, or null when this deployment has no Google OAuth client. */
export function googleClientConfig(config: ConnectorConfig): GoogleClientConfig | null {
  if (!config.GOOGLE_CLIENT_ID || !config.GOOGLE_CLIENT_SECRET || !config.GOOGLE_REDIRECT_URI)
    return null;
  return {
    clientId: config.GOOGLE_CLIENT_ID,
    clientSecret: config.GOOGLE_CLIENT_SECRET,
    redirectUri: config.GOOGLE_REDIRECT_URI,
    apiRoot: config.GOOGLE_API_ROOT,
    authUrl: config.GOOGLE_OAUTH_AUTH_URL,
    tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
    revokeUrl: config.GOOGLE_OAUTH_REVOKE_URL,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
  };
}
