import { type ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import type { MicrosoftCredentials } from '../../domain/provider/calendar-provider';
import { ProviderError } from '../../domain/provider/provider-error';
import {
  GRAPH_SCOPES,
  type MicrosoftClientConfig,
  msalApp,
} from '../providers/microsoft/microsoft-client';
import { providerErrorOf } from '../providers/microsoft/microsoft-errors';
import type { TokenRefresher } from './fresh-credentials';

/**
 * Microsoft sign-in through MSAL's confidential client: the auth code flow with PKCE
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow), and one
 * token cache per account, serialized into the connection's sealed credentials after every
 * change. Refresh is `acquireTokenSilent`; a refused grant (`invalid_grant`, interaction
 * required: consent revoked) is `auth_revoked`.
 */
export class MicrosoftTokens implements TokenRefresher<MicrosoftCredentials> {
  readonly provider = 'microsoft' as const;

  constructor(private readonly config: MicrosoftClientConfig | null) {}

  private app(tokenCache: string | null): {
    app: ConfidentialClientApplication;
    config: MicrosoftClientConfig;
  } {
    if (!this.config)
      throw new ProviderError('unsupported', 'Microsoft is not configured on this deployment');
    const app = msalApp(this.config);
    if (tokenCache) app.getTokenCache().deserialize(tokenCache);
    return { app, config: this.config };
  }

  pkce(): Promise<{ verifier: string; challenge: string }> {
    return new CryptoProvider().generatePkceCodes();
  }

  async authorizeUrl(state: string, codeChallenge: string): Promise<string> {
    const { app, config } = this.app(null);
    return app
      .getAuthCodeUrl({
        scopes: GRAPH_SCOPES,
        redirectUri: config.redirectUri,
        state,
        codeChallenge,
        codeChallengeMethod: 'S256',
        prompt: 'select_account',
      })
      .catch((error: unknown) => {
        throw providerErrorOf(error, 'preparing the consent page');
      });
  }

  async exchange(code: string, codeVerifier: string): Promise<MicrosoftCredentials> {
    const { app, config } = this.app(null);
    const result = await app
      .acquireTokenByCode({
        code,
        scopes: GRAPH_SCOPES,
        redirectUri: config.redirectUri,
        codeVerifier,
      })
      .catch((error: unknown) => {
        throw providerErrorOf(error, 'exchanging the authorization code');
      });
    const tokenCache = app.getTokenCache().serialize();
    const refreshTokens = (JSON.parse(tokenCache) as { RefreshToken?: object }).RefreshToken ?? {};
    if (!result.account || Object.keys(refreshTokens).length === 0)
      throw new ProviderError('auth_revoked', 'Microsoft granted no offline access');
    return {
      provider: 'microsoft',
      homeAccountId: result.account.homeAccountId,
      tokenCache,
      accessToken: result.accessToken,
      expiresAt: result.expiresOn?.getTime() ?? null,
    };
  }

  async refresh(credentials: MicrosoftCredentials): Promise<MicrosoftCredentials> {
    if (!credentials.tokenCache || !credentials.homeAccountId)
      throw new ProviderError('auth_revoked', 'the Microsoft connection has no token cache');
    const { app } = this.app(credentials.tokenCache);
    const cache = app.getTokenCache();
    const account = await cache.getAccountByHomeId(credentials.homeAccountId);
    if (!account)
      throw new ProviderError('auth_revoked', 'the Microsoft account is not in its token cache');
    // Forced: the decision to refresh is ours (FreshCredentials' margin), not MSAL's own clock.
    const result = await app
      .acquireTokenSilent({ account, scopes: GRAPH_SCOPES, forceRefresh: true })
      .catch((error: unknown) => {
        throw providerErrorOf(error, 'refreshing the access token');
      });
    return {
      ...credentials,
      tokenCache: cache.serialize(),
      accessToken: result.accessToken,
      expiresAt: result.expiresOn?.getTime() ?? null,
    };
  }
}
