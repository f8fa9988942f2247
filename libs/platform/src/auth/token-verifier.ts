import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { type BaseConfig } from '../config/base-config';
import { CONFIG } from '../config/config.token';
import { ProblemException } from '../errors/problem';
import { type Principal, principalClaimsSchema } from './principal';

/** Why a token was refused, in words safe to return to the caller. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

// These mean the key set could not be fetched: the token may be fine, so it is not a 401.
const KEY_SET_UNAVAILABLE = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

const CLOCK_TOLERANCE_SECONDS = 5;
const CACHE_LIMIT = 10_000;

@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  /** Verified tokens until they expire: callers send the same token many times in a row. */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(@Inject(CONFIG) config: BaseConfig) {
    if (config.AUTH_JWKS_URL !== undefined) {
      this.key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
      this.algorithms = ['RS256'];
    } else {
      this.key = new TextEncoder().encode(config.AUTH_JWT_SECRET);
      this.algorithms = ['HS256'];
    }
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    const payload = await this.verifySignature(token);
    const claims = principalClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new InvalidTokenError(
        claims.error.issues[0]?.message ?? 'The token claims are invalid',
      );
    }
    this.remember(token, claims.data, payload);
    return claims.data;
  }

  private remember(token: string, principal: Principal, payload: unknown): void {
    const exp = (payload as { exp?: unknown }).exp;
    // A token without an expiry is checked again every time rather than trusted for ever.
    if (typeof exp !== 'number') return;
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { principal, expiresAt: exp * 1000 });
  }

  private async verifySignature(token: string): Promise<unknown> {
    try {
      const options = { algorithms: this.algorithms, clockTolerance: CLOCK_TOLERANCE_SECONDS };
      // The overloads differ only in the key type; each branch hands jose what it expects.
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new InvalidTokenError('The token has expired');
      if (error instanceof errors.JOSEError && !KEY_SET_UNAVAILABLE.has(error.code)) {
        throw new InvalidTokenError('The token is invalid');
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
