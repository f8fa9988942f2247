import type { ConnectorRequest, connectorRpc } from '@cs/contracts';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { type Connector, SyncProviderError } from '../connector-client';
import type { ProviderGate } from './provider-gate';

/** Our own limiter or breaker said not yet: nothing failed, the work waits until `retryAt`. */
export class SyncDeferred extends Error {
  override readonly name = 'SyncDeferred';
  constructor(
    readonly retryAt: number,
    reason: string,
  ) {
    super(reason);
  }
}

interface Route {
  provider: string;
  host: string;
}

/**
 * The connector's verbs behind the shared rate limits and circuit breakers: each call takes a
 * token for its connection and its provider, and its outcome feeds its host's breaker.
 */
export class LimitedConnector implements Connector {
  private readonly routes = new Map<string, Route>();

  constructor(
    private readonly pool: Pool,
    private readonly inner: Connector,
    private readonly gate: ProviderGate,
  ) {}

  async call<V extends ConnectorRequest>(
    verb: V,
    request: z.input<(typeof connectorRpc)[V]['request']>,
  ): Promise<z.infer<(typeof connectorRpc)[V]['reply']>> {
    const { connectionId } = request as { connectionId: string };
    const { provider, host } = await this.route(connectionId);
    const answer = await this.gate.admit(provider, connectionId, host);
    if (!answer.admitted) throw new SyncDeferred(answer.retryAt, answer.reason);
    try {
      const result = await this.inner.call(verb, request);
      await this.gate.record(host, null);
      return result;
    } catch (error) {
      await this.gate.record(host, error instanceof SyncProviderError ? error.kind : 'transient');
      throw error;
    }
  }

  /** A connection's provider and host never change, so they are looked up once. */
  private async route(connectionId: string): Promise<Route> {
    const known = this.routes.get(connectionId);
    if (known) return known;
    const { rows } = await this.pool.query<Route>(
      'SELECT provider, host FROM sync_connections WHERE connection_id = $1',
      [connectionId],
    );
    const route = rows[0] ?? { provider: 'unknown', host: 'unknown' };
    this.routes.set(connectionId, route);
    return route;
  }
}
