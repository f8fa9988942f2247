import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GoogleCalendarEmulator, GraphCalendarEmulator } from '@cs/testing';

// How the connector and a browser reach the provider emulators. Free of Jest and supertest:
// the benchmarks use it too.

/** The connector's settings for Google, pointed at the emulator. */
export const googleEnv = (google: GoogleCalendarEmulator, connectorUrl: string) => ({
  GOOGLE_CLIENT_ID: google.client.clientId,
  GOOGLE_CLIENT_SECRET: google.client.clientSecret,
  GOOGLE_REDIRECT_URI: `${connectorUrl}/v1/oauth/google/callback`,
  GOOGLE_API_ROOT: google.rootUrl,
  GOOGLE_OAUTH_AUTH_URL: google.oauthEndpoints.oauth2AuthBaseUrl,
  GOOGLE_OAUTH_TOKEN_URL: google.oauthEndpoints.oauth2TokenUrl,
  GOOGLE_OAUTH_REVOKE_URL: google.oauthEndpoints.oauth2RevokeUrl,
});

/** The Graph emulator's CA certificate as a file, which is how the connector takes it. */
export interface CaFile {
  path: string;
  remove(): Promise<void>;
}

export async function graphCaFile(graph: GraphCalendarEmulator): Promise<CaFile> {
  const dir = await mkdtemp(join(tmpdir(), 'graph-ca-'));
  const path = join(dir, 'ca.pem');
  await writeFile(path, graph.ca);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The connector's settings for Microsoft, pointed at the emulator and trusting its CA. */
export const microsoftEnv = (graph: GraphCalendarEmulator, ca: CaFile, connectorUrl: string) => ({
  MICROSOFT_CLIENT_ID: graph.client.clientId,
  MICROSOFT_CLIENT_SECRET: graph.client.clientSecret,
  MICROSOFT_REDIRECT_URI: `${connectorUrl}/v1/oauth/microsoft/callback`,
  MICROSOFT_AUTHORITY: graph.msalAuth.authority,
  MICROSOFT_GRAPH_URL: graph.graphUrl,
  MICROSOFT_CA_FILE: ca.path,
});

/** Push on: providers notify the connector's own URL, and its manager looks for work often. */
export const pushEnv = (connectorUrl: string) => ({
  PUBLIC_WEBHOOK_URL: connectorUrl,
  PUSH_TICK_MS: '100',
});

/** Google's consent page as a browser meets it: it redirects back to our callback at once. */
export async function googleConsent(authorizeUrl: string): Promise<string> {
  const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
  return redirect.headers.get('location')!;
}

/** Entra ID's consent page as a browser meets it (HTTPS, the emulator's CA): a redirect back to us. */
export function graphConsent(graph: GraphCalendarEmulator, authorizeUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsRequest(authorizeUrl, { ca: graph.ca }, (res) => {
      res.resume();
      resolve(res.headers.location!);
    })
      .on('error', reject)
      .end();
  });
}
