import {
  type BusNaming,
  type ConnectorRequest,
  connectorReplySchema,
  connectorRequestSubject,
  connectorRpc,
} from '@cs/contracts';
import { tracedRequest } from '@cs/eventing';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { FailureKind } from '../domain/sync-state/sync-health';

/** A provider failure as the connector reported it, or a transport failure reaching the connector. */
export class SyncProviderError extends Error {
  override readonly name = 'SyncProviderError';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

type Rpc = typeof connectorRpc;

/** The connector's four verbs as sync uses them. */
export interface Connector {
  call<V extends ConnectorRequest>(
    verb: V,
    request: z.input<Rpc[V]['request']>,
  ): Promise<z.infer<Rpc[V]['reply']>>;
}

/**
 * The connector's four verbs over NATS request/reply, each with a deadline above the
 * connector's own per-request provider deadlines, so a provider's silence comes back as a typed
 * `timeout` from the connector rather than as this one.
 */
export class ConnectorClient implements Connector {
  constructor(
    private readonly nc: NatsConnection,
    private readonly naming: BusNaming,
    private readonly timeoutMs: number,
  ) {}

  async call<V extends ConnectorRequest>(
    verb: V,
    request: z.input<Rpc[V]['request']>,
  ): Promise<z.infer<Rpc[V]['reply']>> {
    let raw: unknown;
    try {
      // In the trace of the write-back that asks, so the provider call shows under the booking.
      const reply = await tracedRequest(
        this.nc,
        `connector.${verb}`,
        connectorRequestSubject(this.naming, verb),
        JSON.stringify(request),
        { timeout: this.timeoutMs },
      );
      raw = reply.json();
    } catch (error) {
      // The connector's own provider deadlines are shorter: this one ran out on a provider
      // that answered nothing, or on a connector that is gone.
      const timedOut = [error, (error as Error).cause].some(
        (e) => (e as Error | undefined)?.name === 'TimeoutError',
      );
      throw new SyncProviderError(
        timedOut ? 'timeout' : 'transient',
        `connector did not answer ${verb}${timedOut ? ' in time' : ''}`,
      );
    }
    const parsed = connectorReplySchema(connectorRpc[verb].reply).safeParse(raw);
    if (!parsed.success)
      throw new SyncProviderError('transient', `connector sent a malformed ${verb} reply`);
    if (!parsed.data.ok) {
      const { kind, message, retryAfterMs } = parsed.data.error;
      throw new SyncProviderError(kind, message, retryAfterMs);
    }
    return parsed.data.result as z.infer<Rpc[V]['reply']>;
  }
}

export const CONNECTOR_CLIENT = Symbol('CONNECTOR_CLIENT');
