import { type GraphCalendarEmulator, startGraphCalendarEmulator } from '@cs/testing';
import { type ConnectorAndSync, startConnectorAndSync } from './connector-and-sync';
import { type Connected, connectThroughConsent } from './oauth-connection';
import type { ProApi } from './pro-api';
import { graphCaFile, graphConsent, microsoftEnv } from './provider-emulators';

/** Connects the Pro's Microsoft account as a browser would: consent, then the callback. */
export const connectMicrosoft = (pro: ProApi, graph: GraphCalendarEmulator): Promise<Connected> =>
  connectThroughConsent(pro, 'microsoft', (url) => graphConsent(graph, url));

export interface WithGraph {
  graph: GraphCalendarEmulator;
  system: ConnectorAndSync;
  stop(): Promise<void>;
}

/** The Graph emulator and both services, the connector set up for Microsoft (and `connectorEnv`). */
export async function startWithGraph(
  connectorEnv: (connectorUrl: string) => Record<string, string> = () => ({}),
  syncEnv: Record<string, string> = {},
): Promise<WithGraph> {
  const graph = await startGraphCalendarEmulator();
  const ca = await graphCaFile(graph);
  const stopGraph = async () => {
    await graph.stop();
    await ca.remove();
  };
  const system = await startConnectorAndSync(
    (connectorUrl) => ({ ...microsoftEnv(graph, ca, connectorUrl), ...connectorEnv(connectorUrl) }),
    syncEnv,
  ).catch(async (error: unknown) => {
    await stopGraph();
    throw error;
  });
  return {
    graph,
    system,
    async stop() {
      await system.stop();
      await stopGraph();
    },
  };
}
