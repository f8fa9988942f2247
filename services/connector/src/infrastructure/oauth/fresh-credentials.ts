import type { Clock } from '@cs/eventing';
import type {
  Credentials,
  GoogleCredentials,
  MicrosoftCredentials,
} from '../../domain/provider/calendar-provider';
import type { ConnectionStore } from '../connections/connection-store';

/** An access token this close to expiry is refreshed before use. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export type OAuthCredentials = GoogleCredentials | MicrosoftCredentials;

/** How one OAuth provider trades what the connection holds for a new access token. */
export interface TokenRefresher<C extends OAuthCredentials = OAuthCredentials> {
  readonly provider: C['provider'];
  refresh(credentials: C): Promise<C>;
}

/**
 * A connection's credentials as a provider call needs them: an OAuth access token close to
 * expiry is refreshed first and sealed again; other providers' credentials are used as stored.
 * A refused refresh (consent revoked) is `auth_revoked`, which sync counts towards
 * `reauth_required`.
 */
export class FreshCredentials {
  constructor(
    private readonly connections: ConnectionStore,
    private readonly refreshers: TokenRefresher[],
    private readonly clock: Clock,
  ) {}

  async of(connectionId: string): Promise<Credentials> {
    const credentials = await this.connections.credentials(connectionId);
    return this.fresh(connectionId, credentials, this.clock.now().getTime());
  }

  async fresh(connectionId: string, credentials: Credentials, now: number): Promise<Credentials> {
    const refresher = this.refreshers.find((r) => r.provider === credentials.provider);
    if (!refresher) return credentials;
    const oauth = credentials as OAuthCredentials;
    if (oauth.accessToken && (oauth.expiresAt ?? Infinity) - now > REFRESH_MARGIN_MS) return oauth;
    const refreshed = await refresher.refresh(oauth);
    await this.connections.saveCredentials(connectionId, refreshed);
    return refreshed;
  }
}
