import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import {
  BusNaming,
  type ConnectorRequest,
  connectorRequestSubject,
  connectorRpc,
} from '@cs/contracts';
import { inReplySpan, NATS_CONNECTION } from '@cs/eventing';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { CalendarRef } from '../../domain/provider/calendar-provider';
import { ProviderError } from '../../domain/provider/provider-error';
import { ProviderRegistry } from '../../domain/provider/provider-registry';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { FreshCredentials } from '../../infrastructure/oauth/fresh-credentials';

/**
 * Sync's access to the providers: list, fetch, write and remove a calendar's items on its
 * behalf, over NATS request/reply, so credentials never leave this service.
 */
@Injectable()
export class SyncRequestResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncRequests');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly naming: BusNaming,
    private readonly connections: ConnectionStore,
    private readonly registry: ProviderRegistry,
    private readonly credentials: FreshCredentials,
  ) {}

  onApplicationBootstrap(): void {
    for (const verb of Object.keys(connectorRpc) as ConnectorRequest[]) {
      this.subscriptions.push(
        this.nc.subscribe(connectorRequestSubject(this.naming, verb), {
          queue: 'connector',
          callback: (error, msg) => {
            if (!error) void inReplySpan(`connector.${verb}`, msg, () => this.answer(verb, msg));
          },
        }),
      );
    }
  }

  onApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private async answer(verb: ConnectorRequest, msg: Msg): Promise<void> {
    try {
      const result = await this.perform(verb, msg.json());
      msg.respond(JSON.stringify({ ok: true, result }));
    } catch (error) {
      const typed =
        error instanceof ProviderError
          ? error
          : new ProviderError('transient', 'connector failed to handle the request');
      if (!(error instanceof ProviderError))
        this.logger.error({ msg: 'sync request failed', verb, error: (error as Error).message });
      msg.respond(JSON.stringify({ ok: false, error: typed.toJSON() }));
    }
  }

  private async target(connectionId: string, calendarId: string) {
    const connection = await this.connections.find(connectionId);
    const calendar = connection
      ? (await this.connections.calendars([connectionId])).find((c) => c.calendarId === calendarId)
      : undefined;
    if (!connection || !calendar)
      throw new ProviderError(
        'not_found',
        `no calendar ${calendarId} in connection ${connectionId}`,
      );
    const credentials = await this.credentials.of(connectionId);
    const ref: CalendarRef = {
      calendarId,
      url: calendar.url,
      supportsDelta: calendar.supportsDelta,
    };
    return { provider: this.registry.get(connection.provider), credentials, ref };
  }

  private async perform(verb: ConnectorRequest, payload: unknown): Promise<unknown> {
    switch (verb) {
      case 'list': {
        const request = connectorRpc.list.request.parse(payload);
        const { provider, credentials, ref } = await this.target(
          request.connectionId,
          request.calendarId,
        );
        return provider.list(credentials, ref, request.cursor);
      }
      case 'fetch': {
        const request = connectorRpc.fetch.request.parse(payload);
        const { provider, credentials, ref } = await this.target(
          request.connectionId,
          request.calendarId,
        );
        const items = await provider.fetch(credentials, ref, request.hrefs);
        const owner = items.length > 0 ? ((await provider.owner?.(credentials, ref)) ?? []) : [];
        return { items, owner };
      }
      case 'write': {
        const request = connectorRpc.write.request.parse(payload);
        const { provider, credentials, ref } = await this.target(
          request.connectionId,
          request.calendarId,
        );
        return provider.write(credentials, ref, request);
      }
      case 'remove': {
        const request = connectorRpc.remove.request.parse(payload);
        const { provider, credentials, ref } = await this.target(
          request.connectionId,
          request.calendarId,
        );
        await provider.remove(credentials, ref, request.href, request.ifMatch);
        return {};
      }
      default: {
        const unknown: never = verb;
        throw new Error(`unhandled request ${String(unknown)}`);
      }
    }
  }
}
