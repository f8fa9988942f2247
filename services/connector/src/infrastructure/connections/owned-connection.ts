import { assertCanAccessPro, type Principal, ProblemException } from '@cs/platform';
import type { ConnectionRow, ConnectionStore } from './connection-store';

/** The live connection, if the caller may act for its Pro; 404 otherwise, as if it did not exist. */
export async function ownedConnection(
  connections: ConnectionStore,
  connectionId: string,
  principal: Principal,
): Promise<ConnectionRow> {
  const connection = await connections.find(connectionId);
  if (!connection)
    throw new ProblemException({
      status: 404,
      type: 'not-found',
      detail: `no connection ${connectionId}`,
    });
  assertCanAccessPro(principal, connection.proId);
  return connection;
}
