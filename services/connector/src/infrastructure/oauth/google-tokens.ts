import type { GoogleCredentials } from '../../domain/provider/calendar-provider';
import { ProviderError } from '../../domain/provider/provider-error';
import { type GoogleClientConfig, oauthClient } from '../providers/google/google-client';
import { providerErrorOf } from '../providers/google/google-errors';
import type { TokenRefresher } from './fresh-credentials';

/**
 * Google's OAuth tokens: the code exchanged for offline access, and a new access token from the
 * refresh token. A refused refresh (`invalid_grant`: consent revoked) is `auth_revoked`.
 */
export class GoogleTokens implements TokenRefresher<GoogleCredentials> {
  readonly provider = 'google' as const;

  constructor(private readonly config: GoogleClientConfig | null) {}

  private client() {
    if (!this.config)
      throw new ProviderError('unsupported', 'Google is not configured on this deployment');
    return oauthClient(this.config);
  }

  async exchange(code: string, codeVerifier: string): Promise<GoogleCredentials> {
    const { tokens } = await this.client()
      .getToken({ code, codeVerifier })
      .catch((error: unknown) => {
        throw providerErrorOf(error, 'exchanging the authorization code');
      });
    if (!tokens.access_token || !tokens.refresh_token)
      throw new ProviderError('auth_revoked', 'Google granted no offline access');
    return {
      provider: 'google',
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: tokens.expiry_date ?? null,
    };
  }

  async refresh(credentials: GoogleCredentials): Promise<GoogleCredentials> {
    if (!credentials.refreshToken)
      throw new ProviderError('auth_revoked', 'the Google connection has no refresh token');
    const client = this.client();
    client.setCredentials({ refresh_token: credentials.refreshToken });
    const { credentials: tokens } = await client.refreshAccessToken().catch((error: unknown) => {
      throw providerErrorOf(error, 'refreshing the access token');
    });
    return {
      ...credentials,
      accessToken: tokens.access_token ?? null,
      refreshToken: tokens.refresh_token ?? credentials.refreshToken,
      expiresAt: tokens.expiry_date ?? null,
    };
  }
}
