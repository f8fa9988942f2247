/** Providers that are one API behind one host: their connections share it. */
const SINGLE_HOST = new Set(['google', 'microsoft', 'calendly']);

/**
 * The server a connection's calendars are read from, the unit of concurrency and of the
 * circuit breaker: a feed's or CalDAV server's `host[:port]`, or the provider for one-API
 * providers. A feed or CalDAV connection whose host was never announced (connected before
 * hosts were) is its own unit, so it can slow nobody else.
 */
export function hostKey(connection: {
  connectionId: string;
  provider: string;
  host?: string | null | undefined;
}): string {
  if (connection.host) return connection.host.toLowerCase();
  return SINGLE_HOST.has(connection.provider)
    ? connection.provider
    : `connection:${connection.connectionId}`;
}
