import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@cs/eventing';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { type BaseConfig } from '../config/base-config';
import { CONFIG } from '../config/config.token';
import { ProblemException } from '../errors/problem';
import { type Principal, principalClaimsSchema } from './principal';
import { claimRefusal } from './token-refusals';

/** Why a token was refused, in words safe to return to the caller. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

// These mean the key set could not be fetched: the token may be fine, so it is not a 401.
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

const CLOCK_TOLERANCE_SECONDS = 5;
const CACHE_LIMIT = 10_000;
// Pinned per mode, so a public key can never be replayed as an HMAC secret, nor `none` pass.
const SECRET_ALGORITHMS = ['HS256'];
const KEY_SET_ALGORITHMS = ['RS256', 'ES256'];

@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly maxLifetimeSeconds: number;
  /** Verified tokens until they expire: callers send the same token many times in a row. */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    @Inject(CONFIG) config: BaseConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const jwks = config.AUTH_JWKS_URL;
    this.key =
      jwks === undefined
        ? new TextEncoder().encode(config.AUTH_JWT_SECRET)
        : createRemoteJWKSet(new URL(jwks));
    this.maxLifetimeSeconds = config.AUTH_MAX_TOKEN_LIFETIME_SECONDS;
    this.options = {
      algorithms: jwks === undefined ? SECRET_ALGORITHMS : KEY_SET_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
      // A token cannot be older than the longest lifetime; jose also refuses an `iat` ahead of now.
      maxTokenAge: config.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      ...(config.AUTH_JWT_AUDIENCE === undefined ? {} : { audience: config.AUTH_JWT_AUDIENCE }),
      ...(config.AUTH_JWT_ISSUER === undefined ? {} : { issuer: config.AUTH_JWT_ISSUER }),
    };
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt > this.clock.now().getTime()) return cached.principal;
    const payload = await this.verifySignature(token);
    // Both are present: jwtVerify required them.
    if (payload.exp! - payload.iat! > this.maxLifetimeSeconds) {
      throw new InvalidTokenError(
        `The token lives longer than the ${this.maxLifetimeSeconds} seconds allowed (exp - iat)`,
      );
    }
    const claims = principalClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new InvalidTokenError(
        claims.error.issues[0]?.message ?? 'The token claims are invalid',
      );
    }
    this.remember(token, claims.data, payload.exp!);
    return claims.data;
  }

  private remember(token: string, principal: Principal, exp: number): void {
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, expiresAt: exp * 1000 });
  }

  private async verifySignature(token: string): Promise<JWTPayload> {
    try {
      const options = { ...this.options, currentDate: this.clock.now() };
      // The overloads differ only in the key type; each branch hands jose what it expects.
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError && !KEY_SET_UNAVAILABLE.has(error.code)) {
        throw new InvalidTokenError(claimRefusal(error));
      }
      throw new ProblemException({
        status: 503,
        type: 'authentication-unavailable',
        detail: 'The signing keys could not be fetched; try again shortly.',
        cause: error,
      });
    }
  }
}
