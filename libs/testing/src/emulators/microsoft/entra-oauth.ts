import type { EmulatorReply } from '../shared/emulator-server';
import { pkceMatches } from '../shared/pkce';
import { randomToken } from '../shared/random-id';

export interface EntraClient {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  redirectUri: string;
  scopes: string[];
  challenge: string | null;
  challengeMethod: string | null;
  nonce: string | null;
}

const ACCESS_TTL_S = 3599;

/**
 * The Microsoft identity platform's v2.0 endpoints for one tenant and one user who consents
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow):
 * OpenID metadata, instance discovery, authorize (302 with a single-use code), and the token
 * endpoint with PKCE checks, refresh tokens, client credentials and AADSTS errors.
 */
export class EntraOAuthServer {
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, string[]>();

  constructor(
    readonly client: EntraClient,
    readonly tenantId: string,
    readonly user: { id: string; address: string; name: string },
    private readonly base: () => string,
    private readonly now: () => number,
  ) {}

  get authority(): string {
    return `${this.base()}/${this.tenantId}`;
  }

  openidConfiguration() {
    const authority = this.authority;
    return {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authority}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.base()}/oidc/userinfo`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'oid',
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(this.base()).host,
      cloud_graph_host_name: new URL(this.base()).host,
      msgraph_host: new URL(this.base()).host,
    };
  }

  instanceDiscovery() {
    const host = new URL(this.base()).host;
    return {
      tenant_discovery_endpoint: `${this.authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }

  authorize(query: URLSearchParams): EmulatorReply {
    const redirectUri = query.get('redirect_uri') ?? '';
    if (query.get('client_id') !== this.client.clientId || !/^https?:\/\//.test(redirectUri))
      return {
        status: 400,
        body: 'AADSTS700016: Application not found.',
        headers: { 'content-type': 'text/plain' },
      };
    const back = new URL(redirectUri);
    const code = `0.A${randomToken(40)}`;
    this.codes.set(code, {
      redirectUri,
      scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
      challenge: query.get('code_challenge'),
      challengeMethod: query.get('code_challenge_method'),
      nonce: query.get('nonce'),
    });
    back.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    back.searchParams.set('client_info', this.clientInfo());
    return { status: 302, headers: { location: back.toString() } };
  }

  token(form: URLSearchParams): EmulatorReply {
    if (
      form.get('client_id') !== this.client.clientId ||
      form.get('client_secret') !== this.client.clientSecret
    )
      return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const pending = this.codes.get(code);
        this.codes.delete(code);
        if (!pending)
          return aadError(
            400,
            'invalid_grant',
            54005,
            'OAuth2 Authorization code was already redeemed.',
          );
        if (form.get('redirect_uri') !== pending.redirectUri)
          return aadError(400, 'invalid_grant', 50148, 'The redirect_uri does not match.');
        if (
          pending.challenge !== null &&
          !pkceMatches(pending.challenge, pending.challengeMethod, form.get('code_verifier'))
        )
          return aadError(
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
        return this.tokens(form.get('scope') ?? pending.scopes.join(' '), true, pending.nonce);
      }
      case 'refresh_token': {
        const refresh = form.get('refresh_token') ?? '';
        // Entra marks a revoked grant `suberror: bad_token`; MSAL makes that an InteractionRequiredAuthError.
        if (!this.refreshTokens.has(refresh))
          return aadError(
            400,
            'invalid_grant',
            50173,
            'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
            'bad_token',
          );
        return this.tokens(form.get('scope') ?? '', true, null);
      }
      case 'client_credentials':
        return this.tokens(form.get('scope') ?? '', false, null);
      default:
        return aadError(
          400,
          'unsupported_grant_type',
          70003,
          'The app requested an unsupported grant type.',
        );
    }
  }

  valid(token: string | null): 'ok' | 'expired' | 'invalid' {
    const expiresAt = token ? this.accessTokens.get(token) : undefined;
    if (expiresAt === undefined) return 'invalid';
    return expiresAt > this.now() ? 'ok' : 'expired';
  }

  /** The Pro (or their admin) revokes the app's consent. */
  revokeConsent(): void {
    for (const [refresh, accesses] of this.refreshTokens) {
      for (const access of accesses) this.accessTokens.delete(access);
      this.refreshTokens.delete(refresh);
    }
  }

  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, this.now());
  }

  issueAccessToken(): string {
    const token = `eyJ0eXAi.${randomToken(32)}`;
    this.accessTokens.set(token, this.now() + ACCESS_TTL_S * 1000);
    return token;
  }

  private tokens(scope: string, withUser: boolean, nonce: string | null): EmulatorReply {
    const access = this.issueAccessToken();
    const granted = scope
      .split(' ')
      .filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: granted.join(' '),
      expires_in: ACCESS_TTL_S,
      ext_expires_in: ACCESS_TTL_S,
      access_token: access,
    };
    if (withUser) {
      const refresh = `1.A${randomToken(40)}`;
      this.refreshTokens.set(refresh, [access]);
      body.refresh_token = refresh;
      body.id_token = this.idToken(nonce);
      body.client_info = this.clientInfo();
    }
    return { status: 200, body };
  }

  /** MSAL reads, but does not verify, the ID token's claims, so the signature is a placeholder. */
  private idToken(nonce: string | null): string {
    const seconds = Math.floor(this.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return [
      part({ typ: 'JWT', alg: 'RS256', kid: 'emulator' }),
      part({
        aud: this.client.clientId,
        iss: `${this.authority}/v2.0`,
        iat: seconds,
        nbf: seconds,
        exp: seconds + ACCESS_TTL_S,
        name: this.user.name,
        oid: this.user.id,
        preferred_username: this.user.address,
        sub: this.user.id,
        tid: this.tenantId,
        ver: '2.0',
        ...(nonce ? { nonce } : {}),
      }),
      'c2lnbmF0dXJl',
    ].join('.');
  }

  private clientInfo(): string {
    return Buffer.from(JSON.stringify({ uid: this.user.id, utid: this.tenantId })).toString(
      'base64url',
    );
  }
}

function aadError(
  status: number,
  error: string,
  code: number,
  description: string,
  suberror?: string,
): EmulatorReply {
  return {
    status,
    body: {
      error,
      ...(suberror ? { suberror } : {}),
      error_description: `AADSTS${code}: ${description}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomToken(8),
      correlation_id: randomToken(8),
    },
  };
}
