import { readFileSync } from 'node:fs';
import type { ConnectorConfig } from '../../connector-config';
import type { MicrosoftClientConfig } from './microsoft-client';

export const MICROSOFT_CLIENT_CONFIG = Symbol('MICROSOFT_CLIENT_CONFIG');

/** Microsoft's settings, or null when this deployment has no Entra ID app registration. */
export function microsoftClientConfig(config: ConnectorConfig): MicrosoftClientConfig | null {
  if (
    !config.MICROSOFT_CLIENT_ID ||
    !config.MICROSOFT_CLIENT_SECRET ||
    !config.MICROSOFT_REDIRECT_URI
  )
    return null;
  return {
    clientId: config.MICROSOFT_CLIENT_ID,
    clientSecret: config.MICROSOFT_CLIENT_SECRET,
    redirectUri: config.MICROSOFT_REDIRECT_URI,
    authority: config.MICROSOFT_AUTHORITY,
    graphUrl: config.MICROSOFT_GRAPH_URL,
    ca: config.MICROSOFT_CA_FILE ? readFileSync(config.MICROSOFT_CA_FILE, 'utf8') : null,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    connectTimeoutMs: config.PROVIDER_CONNECT_TIMEOUT_MS,
  };
}
