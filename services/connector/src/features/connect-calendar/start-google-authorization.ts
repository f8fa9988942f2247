import { Inject, Injectable } from '@nestjs/common';
import {
  CALENDAR_SCOPES,
  type GoogleClientConfig,
  oauthClient,
} from '../../infrastructure/providers/google/google-client';
import { GOOGLE_CLIENT_CONFIG } from '../../infrastructure/providers/google/google-config';
import { PendingAuthorizations, providerNotConfigured } from './pending-authorization';

/**
 * Starts connecting a Google account: a pending connection and the consent URL
 * (https://developers.google.com/identity/protocols/oauth2/web-server): code flow with PKCE
 * S256, offline access with `prompt=consent` so a refresh token always comes back, and
 * incremental consent.
 */
@Injectable()
export class StartGoogleAuthorization {
  constructor(
    private readonly pending: PendingAuthorizations,
    @Inject(GOOGLE_CLIENT_CONFIG) private readonly google: GoogleClientConfig | null,
  ) {}

  async start(proId: string) {
    if (!this.google) throw providerNotConfigured('Google');
    const client = oauthClient(this.google);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    return this.pending.start(
      proId,
      {
        credentials: { provider: 'google', accessToken: null, refreshToken: null, expiresAt: null },
        endpoint: new URL(this.google.apiRoot).host,
        codeVerifier,
      },
      (state) =>
        client.generateAuthUrl({
          access_type: 'offline',
          prompt: 'consent',
          include_granted_scopes: true,
          scope: CALENDAR_SCOPES,
          state,
          code_challenge: codeChallenge!,
          code_challenge_method: 'S256' as never,
        }),
    );
  }
}
