import type { EmulatorReply } from '../shared/emulator-server';
import { pkceMatches } from '../shared/pkce';
import { randomToken } from '../shared/random-id';

export interface GoogleOAuthClient {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  redirectUri: string;
  scopes: Set<string>;
  challenge: string | null;
  challengeMethod: string | null;
  offline: boolean;
  expiresAt: number;
}

interface AccessGrant {
  scopes: Set<string>;
  expiresAt: number;
  refreshToken: string | null;
}

const CODE_TTL_MS = 10 * 60_000;
const ACCESS_TTL_S = 3599;
const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';

/**
 * Google's OAuth 2.0 server for one user who always consents
 * (https://developers.google.com/identity/protocols/oauth2/web-server): the authorization
 * endpoint redirects with a single-use code; the token endpoint checks client, redirect URI
 * and PKCE; a refresh token comes only with `access_type=offline` on first consent or
 * `prompt=consent`; once consent is revoked every refresh answers `invalid_grant`.
 */
export class GoogleOAuthServer {
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, Set<string>>();
  private granted = new Set<string>();
  private denyNext = false;

  constructor(
    readonly client: GoogleOAuthClient,
    private readonly now: () => number,
  ) {}

  authorize(query: URLSearchParams): EmulatorReply {
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('client_id') !== this.client.clientId || !/^https?:\/\//.test(redirectUri))
      return {
        status: 400,
        body: 'Error 400: invalid_request',
        headers: { 'content-type': 'text/plain' },
      };
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (this.denyNext) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { location: back.toString() } };
    }
    const requested = new Set((query.get('scope') ?? '').split(' ').filter(Boolean));
    const scopes =
      query.get('include_granted_scopes') === 'true'
        ? new Set([...this.granted, ...requested])
        : requested;
    const firstConsent = [...scopes].some((s) => !this.granted.has(s)) || this.granted.size === 0;
    const code = `4/${randomToken()}`;
    this.codes.set(code, {
      redirectUri,
      scopes,
      challenge: query.get('code_challenge'),
      challengeMethod: query.get('code_challenge_method'),
      offline:
        query.get('access_type') === 'offline' &&
        (firstConsent || query.get('prompt') === 'consent'),
      expiresAt: this.now() + CODE_TTL_MS,
    });
    this.granted = new Set([...this.granted, ...scopes]);
    back.searchParams.set('code', code);
    back.searchParams.set('scope', [...scopes].join(' '));
    return { status: 302, headers: { location: back.toString() } };
  }

  token(form: URLSearchParams): EmulatorReply {
    if (
      form.get('client_id') !== this.client.clientId ||
      form.get('client_secret') !== this.client.clientSecret
    )
      return tokenError(401, 'invalid_client', 'Unauthorized');
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return this.exchangeCode(form);
      case 'refresh_token':
        return this.refresh(form.get('refresh_token') ?? '');
      default:
        return tokenError(400, 'unsupported_grant_type', 'Invalid grant_type');
    }
  }

  revoke(token: string): EmulatorReply {
    const ofRefresh = this.refreshTokens.get(token);
    if (ofRefresh) this.revokeRefreshToken(token);
    else if (!this.accessTokens.delete(token))
      return tokenError(400, 'invalid_token', 'Bad Request');
    return { status: 200, body: {} };
  }

  /** The Pro removes the app's access in their Google account settings. */
  revokeConsent(): void {
    for (const token of [...this.refreshTokens.keys()]) this.revokeRefreshToken(token);
    this.accessTokens.clear();
    this.granted.clear();
  }

  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = this.now();
  }

  denyNextConsent(): void {
    this.denyNext = true;
  }

  /** A test shortcut past the browser: an access token with full calendar scope. */
  issueAccessToken(scopes: string[] = [CALENDAR_SCOPE]): string {
    return this.mintAccessToken(new Set(scopes), null);
  }

  /** `read`: any calendar scope; `write`: one that is not read-only. */
  allows(token: string | null, need: 'read' | 'write'): 'ok' | 'unauthenticated' | 'insufficient' {
    const grant = token ? this.accessTokens.get(token) : undefined;
    if (!grant || grant.expiresAt <= this.now()) return 'unauthenticated';
    const fits = [...grant.scopes].some(
      (s) => s.startsWith(CALENDAR_SCOPE) && (need === 'read' || !s.endsWith('.readonly')),
    );
    return fits ? 'ok' : 'insufficient';
  }

  private exchangeCode(form: URLSearchParams): EmulatorReply {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt <= this.now())
      return tokenError(400, 'invalid_grant', 'Malformed auth code.');
    if (form.get('redirect_uri') !== pending.redirectUri)
      return tokenError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (pending.challenge !== null) {
      const verifier = form.get('code_verifier');
      if (verifier === null) return tokenError(400, 'invalid_grant', 'Missing code verifier.');
      if (!pkceMatches(pending.challenge, pending.challengeMethod, verifier))
        return tokenError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const refreshToken = pending.offline ? `1//${randomToken()}` : null;
    if (refreshToken) this.refreshTokens.set(refreshToken, new Set());
    const accessToken = this.mintAccessToken(pending.scopes, refreshToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: ACCESS_TTL_S,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        scope: [...pending.scopes].join(' '),
        token_type: 'Bearer',
      },
    };
  }

  private refresh(refreshToken: string): EmulatorReply {
    if (!this.refreshTokens.has(refreshToken))
      return tokenError(400, 'invalid_grant', 'Token has been expired or revoked.');
    const accessToken = this.mintAccessToken(new Set(this.granted), refreshToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: ACCESS_TTL_S,
        scope: [...this.granted].join(' '),
        token_type: 'Bearer',
      },
    };
  }

  private mintAccessToken(scopes: Set<string>, refreshToken: string | null): string {
    const token = `ya29.${randomToken()}`;
    this.accessTokens.set(token, {
      scopes,
      expiresAt: this.now() + ACCESS_TTL_S * 1000,
      refreshToken,
    });
    if (refreshToken) this.refreshTokens.get(refreshToken)?.add(token);
    return token;
  }

  private revokeRefreshToken(refreshToken: string): void {
    for (const access of this.refreshTokens.get(refreshToken) ?? [])
      this.accessTokens.delete(access);
    this.refreshTokens.delete(refreshToken);
  }
}

function tokenError(status: number, error: string, description: string): EmulatorReply {
  return { status, body: { error, error_description: description } };
}
