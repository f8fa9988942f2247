import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signTestToken } from '../src';
import { startTestApp, TEST_SECRET, type TestApp } from './support/test-app';

/** A real key server, as the production identity provider would publish. */
async function serveKeys(publicKey: KeyLike): Promise<Server> {
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const urlOf = (server: Server) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;

const AUDIENCE = 'careservice-calendar';
const ISSUER = 'https://id.example/';
const scoped = { AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_JWT_ISSUER: ISSUER };

describe('RS256 through AUTH_JWKS_URL', () => {
  let privateKey: KeyLike;
  let keyServer: Server;
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  const rs256 = (claims: Record<string, unknown>, audience = AUDIENCE) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('svc-sync')
      .setAudience(audience)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    keyServer = await serveKeys(pair.publicKey);
    testApp = await startTestApp({}, { AUTH_JWKS_URL: urlOf(keyServer), ...scoped });
  });
  afterAll(async () => {
    await testApp.close();
    keyServer.close();
  });

  it('accepts a token signed by a key of the set', async () => {
    const token = await rs256({ roles: ['service'] });
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.principal).toEqual({ sub: 'svc-sync', roles: ['service'] });
  });

  it('refuses an HS256 token once keys come from the set', async () => {
    const token = await signTestToken(TEST_SECRET, { sub: 'svc', roles: ['service'] });
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('The token is signed with an algorithm not accepted here (alg).');
  });

  it('refuses a token the same provider signed for another application', async () => {
    const token = await rs256({ roles: ['service'] }, 'billing');
    const res = await http().get('/probe/whoami').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toBe('The token is meant for another audience (aud).');
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('answers 503, not 401, while the key set cannot be fetched', async () => {
    const unreachable = await startTestApp(
      {},
      { AUTH_JWKS_URL: 'http://127.0.0.1:1/.well-known/jwks.json', ...scoped },
    );
    try {
      const token = await rs256({ roles: ['service'] });
      const res = await request(unreachable.app.getHttpServer())
        .get('/probe/whoami')
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.body.type).toBe('https://careservice.example/problems/authentication-unavailable');
    } finally {
      await unreachable.close();
    }
  });
});
