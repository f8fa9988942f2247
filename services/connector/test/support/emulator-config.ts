import type { GoogleCalendarEmulator, GraphCalendarEmulator } from '@cs/testing';
import type { GoogleClientConfig } from '../../src/infrastructure/providers/google/google-client';
import type { MicrosoftClientConfig } from '../../src/infrastructure/providers/microsoft/microsoft-client';

/** The adapter's Google settings, pointed at the emulator. */
export const googleConfig = (emulator: GoogleCalendarEmulator): GoogleClientConfig => ({
  ...emulator.client,
  redirectUri: 'http://127.0.0.1:1/v1/oauth/google/callback',
  apiRoot: emulator.rootUrl,
  authUrl: emulator.oauthEndpoints.oauth2AuthBaseUrl,
  tokenUrl: emulator.oauthEndpoints.oauth2TokenUrl,
  revokeUrl: emulator.oauthEndpoints.oauth2RevokeUrl,
  timeoutMs: 5_000,
});

/** The adapter's Microsoft settings, pointed at the emulator and trusting its CA. */
export const microsoftConfig = (emulator: GraphCalendarEmulator): MicrosoftClientConfig => ({
  clientId: emulator.client.clientId,
  clientSecret: emulator.client.clientSecret,
  redirectUri: 'http://127.0.0.1:1/v1/oauth/microsoft/callback',
  authority: emulator.msalAuth.authority,
  graphUrl: emulator.graphUrl,
  ca: emulator.ca,
  timeoutMs: 5_000,
});
