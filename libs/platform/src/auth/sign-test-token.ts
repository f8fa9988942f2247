import { SignJWT } from 'jose';
import { type Role } from './principal';

export interface TestTokenClaims {
  sub: string;
  roles: Role[];
  proId?: string;
  clientId?: string;
  [claim: string]: unknown;
}

/**
 * Signs an HS256 token the way the local identity stand-in would, for tests and the demo.
 * `expiresIn` takes jose's forms: '1h', '-5m' (already expired), an epoch second or a Date;
 * `issuedAt` (default: now) matches a service running on a test's own clock.
 */
export function signTestToken(
  secret: string,
  claims: TestTokenClaims,
  expiresIn: string | number | Date = '1h',
  issuedAt?: Date,
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
