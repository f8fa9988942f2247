import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from '@jest/globals';
import { systemClock } from '@cs/eventing';
import { type BaseConfig } from '../config/base-config';
import { signTestToken } from './sign-test-token';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const SECRET = 'a-local-secret-of-at-least-32-chars!';
const key = new TextEncoder().encode(SECRET);
const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

function verifier(extra: Partial<BaseConfig> = {}): TokenVerifier {
  return new TokenVerifier(
    { AUTH_JWT_SECRET: SECRET, AUTH_MAX_TOKEN_LIFETIME_SECONDS: DAY, ...extra } as BaseConfig,
    systemClock,
  );
}

const claims = { roles: ['service'] };
const hs256 = () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('svc');

async function refusal(token: string, target = verifier()): Promise<string> {
  const error = await target.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  const { message } = error as InvalidTokenError;
  expect(message).not.toContain(token);
  return message;
}

describe('TokenVerifier', () => {
  it('accepts what signTestToken signs, with or without an audience configured', async () => {
    const token = await signTestToken(SECRET, { sub: 'svc', roles: ['service'] });
    expect(await verifier().verify(token)).toEqual({ sub: 'svc', roles: ['service'] });
    const scoped = verifier({ AUTH_JWT_AUDIENCE: 'calendar', AUTH_JWT_ISSUER: 'https://id/' });
    const aimed = await signTestToken(SECRET, {
      sub: 'svc',
      roles: ['service'],
      aud: 'calendar',
      iss: 'https://id/',
    });
    expect((await scoped.verify(aimed)).sub).toBe('svc');
  });

  it('refuses a token for another audience or from another issuer, when they are set', async () => {
    const scoped = verifier({ AUTH_JWT_AUDIENCE: 'calendar', AUTH_JWT_ISSUER: 'https://id/' });
    const token = (aud: string, iss: string) =>
      hs256().setAudience(aud).setIssuer(iss).setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await refusal(await token('billing', 'https://id/'), scoped)).toMatch(/audience/);
    expect(await refusal(await token('calendar', 'https://evil/'), scoped)).toMatch(/issuer/);
    const bare = await hs256().setIssuedAt().setExpirationTime('1h').sign(key);
    expect(await refusal(bare, scoped)).toMatch(/names no (issuer|audience)/);
  });

  it('refuses a token without an expiry or an issue time', async () => {
    expect(await refusal(await hs256().setIssuedAt().sign(key))).toMatch(/no expiry \(exp\)/);
    expect(await refusal(await hs256().setExpirationTime('1h').sign(key))).toMatch(
      /no issue time \(iat\)/,
    );
  });

  it('refuses an expired token and one that lives longer than allowed', async () => {
    expect(await refusal(await signTestToken(SECRET, { sub: 's', roles: [] }, '-1m'))).toMatch(
      /expired/,
    );
    const long = await hs256()
      .setIssuedAt()
      .setExpirationTime(now() + DAY + 60)
      .sign(key);
    expect(await refusal(long)).toMatch(/lives longer than the 86400 seconds/);
    const justRight = await hs256()
      .setIssuedAt()
      .setExpirationTime(now() + DAY)
      .sign(key);
    expect((await verifier().verify(justRight)).sub).toBe('svc');
  });

  it('allows a few seconds of clock skew on iat, not more', async () => {
    const skewed = (seconds: number) =>
      hs256()
        .setIssuedAt(now() + seconds)
        .setExpirationTime(now() + 3600)
        .sign(key);
    expect((await verifier().verify(await skewed(3))).sub).toBe('svc');
    expect(await refusal(await skewed(120))).toMatch(/issued in the future/);
  });

  it('accepts only HS256 with a secret: not alg none, not RS256', async () => {
    const unsecured = new UnsecuredJWT(claims)
      .setSubject('svc')
      .setIssuedAt()
      .setExpirationTime('1h');
    expect(await refusal(unsecured.encode())).toMatch(/algorithm/);
    const { privateKey } = await generateKeyPair('RS256');
    const rs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('svc')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await refusal(rs256)).toMatch(/algorithm/);
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('svc')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET.repeat(2)));
    expect(await refusal(hs512)).toMatch(/algorithm/);
  });
});
