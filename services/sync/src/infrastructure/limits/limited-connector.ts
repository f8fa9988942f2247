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

/**
 * The connector's verbs behind the shared rate limits and circuit breaker: each call takes a
 * token for its connection and its provider, and its outcome feeds the provider's breaker.
 */
export class LimitedConnector implements Connector {
  private readonly providers = new Map<string, string>();

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
    const provider = await this.provider(connectionId);
    const answer = await this.gate.admit(provider, connectionId);
    if (!answer.admitted) throw new SyncDeferred(answer.retryAt, answer.reason);
    try {
      const result = await this.inner.call(verb, request);
      await this.gate.record(provider, null);
      return result;
    } catch (error) {
      await this.gate.record(
        provider,
        error instanceof SyncProviderError ? error.kind : 'transient',
      );
      throw error;
    }
  }

  /** A connection's provider never changes, so it is looked up once. */
  private async provider(connectionId: string): Promise<string> {
    const known = this.providers.get(connectionId);
    if (known) return known;
    const { rows } = await this.pool.query<{ provider: string }>(
      'SELECT provider FROM sync_connections WHERE connection_id = $1',
      [connectionId],
    );
    const provider = rows[0]?.provider ?? 'unknown';
    this.providers.set(connectionId, provider);
    return provider;
  }
}
