import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import { anyAddressFetch } from '../provider-fetch';

export interface GoogleClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  apiRoot: string;
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  timeoutMs: number;
  connectTimeoutMs?: number;
}

export const CALENDAR_SCOPES = ['https://www.googleapis.com/auth/calendar'];

/** The official OAuth client, pointed at configurable endpoints (an emulator in tests). */
export const oauthClient = (config: GoogleClientConfig) =>
  new auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    endpoints: {
      oauth2AuthBaseUrl: config.authUrl,
      oauth2TokenUrl: config.tokenUrl,
      oauth2RevokeUrl: config.revokeUrl,
    },
  });

/**
 * The Calendar API as one access token reaches it. The client's own retries are off: a quota
 * error goes back to sync as `rate_limited`, whose backoff and shared limits decide the wait.
 */
export function calendarClient(
  config: GoogleClientConfig,
  accessToken: string,
): calendar_v3.Calendar {
  const oauth = oauthClient(config);
  oauth.setCredentials({ access_token: accessToken });
  return calendar({
    version: 'v3',
    rootUrl: config.apiRoot,
    auth: oauth,
    retry: false,
    timeout: config.timeoutMs,
    // Ours rather than the global fetch: that one cannot be given a connect deadline.
    fetchImplementation: anyAddressFetch(config.connectTimeoutMs),
  });
}
