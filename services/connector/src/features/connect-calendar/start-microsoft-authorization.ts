import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '@cs/platform';
import { ProviderError } from '../../domain/provider/provider-error';
import { MicrosoftTokens } from '../../infrastructure/oauth/microsoft-tokens';
import type { MicrosoftClientConfig } from '../../infrastructure/providers/microsoft/microsoft-client';
import { MICROSOFT_CLIENT_CONFIG } from '../../infrastructure/providers/microsoft/microsoft-config';
import { PendingAuthorizations, providerNotConfigured } from './pending-authorization';

/**
 * Starts connecting a Microsoft account: a pending connection and the Entra ID consent URL
 * (code flow with PKCE S256 through MSAL, `offline_access` so a refresh token comes back, and
 * the account picker so the Pro chooses which mailbox).
 */
@Injectable()
export class StartMicrosoftAuthorization {
  constructor(
    private readonly pending: PendingAuthorizations,
    private readonly tokens: MicrosoftTokens,
    @Inject(MICROSOFT_CLIENT_CONFIG) private readonly microsoft: MicrosoftClientConfig | null,
  ) {}

  async start(proId: string) {
    if (!this.microsoft) throw providerNotConfigured('Microsoft');
    const { verifier, challenge } = await this.tokens.pkce();
    return this.pending.start(
      proId,
      {
        credentials: {
          provider: 'microsoft',
          homeAccountId: null,
          tokenCache: null,
          accessToken: null,
          expiresAt: null,
        },
        endpoint: new URL(this.microsoft.graphUrl).host,
        codeVerifier: verifier,
      },
      (state) =>
        this.tokens.authorizeUrl(state, challenge).catch((error: unknown) => {
          if (!(error instanceof ProviderError)) throw error;
          throw new ProblemException({
            status: 502,
            type: 'provider-unavailable',
            detail: error.message,
          });
        }),
    );
  }
}
