import { signTestToken } from '@cs/platform';
import { TEST_JWT_SECRET } from '@cs/testing';
import request from 'supertest';
import type { ConnectorAndSync } from './connector-and-sync';

export type OAuthProvider = 'google' | 'microsoft';

export interface PendingConnection {
  connectionId: string;
  status: string;
  authorizeUrl: string;
}

export interface ConnectionView {
  connectionId: string;
  status: string;
  calendars: Array<{ calendarId: string; name: string; sync: unknown }>;
}

/** The calls a Pro's app makes to the connector and to sync, with the Pro's token. */
export function proApi(
  system: Pick<ConnectorAndSync, 'connectorUrl' | 'sync'>,
  proId: string,
  token: string,
) {
  const authorization = `Bearer ${token}`;
  const connector = () => request(system.connectorUrl);
  const sync = () => request(system.sync.getHttpServer());
  return {
    proId,
    token,
    /** `POST /v1/pros/{proId}/connections`; the caller checks the answer. */
    connect: (body: object) =>
      connector()
        .post(`/v1/pros/${proId}/connections`)
        .set('authorization', authorization)
        .send(body),
    /** Google or Microsoft: a pending connection and the consent URL. */
    startConnecting: async (provider: OAuthProvider): Promise<PendingConnection> =>
      (
        await connector()
          .post(`/v1/pros/${proId}/connections`)
          .set('authorization', authorization)
          .send({ provider })
          .expect(201)
      ).body,
    /** Where the consent page sends the browser back to; the caller checks the answer. */
    callback: (back: URL) => connector().get(back.pathname + back.search),
    connections: async (): Promise<ConnectionView[]> =>
      (
        await connector()
          .get(`/v1/pros/${proId}/connections`)
          .set('authorization', authorization)
          .expect(200)
      ).body.items,
    disconnect: (connectionId: string) =>
      connector()
        .delete(`/v1/connections/${connectionId}`)
        .set('authorization', authorization)
        .expect(204),
    syncNow: (connectionId: string, full = false) =>
      sync()
        .post(`/v1/connections/${connectionId}/sync${full ? '?full=true' : ''}`)
        .set('authorization', authorization)
        .expect(202),
    syncStatus: async (connectionId: string) =>
      (
        await sync()
          .get(`/v1/connections/${connectionId}/sync-status`)
          .set('authorization', authorization)
          .expect(200)
      ).body,
    /** `GET /v1/pros/{proId}/sync-status`: every calendar of the Pro; the caller checks the answer. */
    proSyncStatus: (ofPro = proId) =>
      sync().get(`/v1/pros/${ofPro}/sync-status`).set('authorization', authorization),
    /** The sync service's Prometheus text. */
    metrics: async () => (await sync().get('/metrics').expect(200)).text,
  };
}

export type ProApi = ReturnType<typeof proApi>;

/** The Pro's app, signed in with a token of the Pro's own. */
export async function signInPro(
  system: Pick<ConnectorAndSync, 'connectorUrl' | 'sync'>,
  proId: string,
): Promise<ProApi> {
  const token = await signTestToken(TEST_JWT_SECRET, {
    sub: `user-${proId}`,
    roles: ['pro'],
    proId,
  });
  return proApi(system, proId, token);
}
