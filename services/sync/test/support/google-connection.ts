import { type GoogleCalendarEmulator, startGoogleCalendarEmulator } from '@cs/testing';
import { type ConnectorAndSync, startConnectorAndSync } from './connector-and-sync';
import { type Connected, connectThroughConsent } from './oauth-connection';
import type { ProApi } from './pro-api';
import { googleConsent, googleEnv } from './provider-emulators';

/** Connects the Pro's Google account as a browser would: consent, then the callback. */
export const connectGoogle = (pro: ProApi): Promise<Connected> =>
  connectThroughConsent(pro, 'google', googleConsent);

export interface WithGoogle {
  google: GoogleCalendarEmulator;
  system: ConnectorAndSync;
  stop(): Promise<void>;
}

/** The Google emulator and both services, the connector set up for Google (and `connectorEnv`). */
export async function startWithGoogle(
  connectorEnv: (connectorUrl: string) => Record<string, string> = () => ({}),
  syncEnv: Record<string, string> = {},
): Promise<WithGoogle> {
  const google = await startGoogleCalendarEmulator();
  const system = await startConnectorAndSync(
    (connectorUrl) => ({ ...googleEnv(google, connectorUrl), ...connectorEnv(connectorUrl) }),
    syncEnv,
  ).catch(async (error: unknown) => {
    await google.stop();
    throw error;
  });
  return {
    google,
    system,
    async stop() {
      await system.stop();
      await google.stop();
    },
  };
}
