import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, EventStore, newId, withUnitOfWork } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { DataSource } from 'typeorm';
import type {
  Credentials,
  GoogleCredentials,
  MicrosoftCredentials,
} from '../../domain/provider/calendar-provider';

/** What the Pro types in: Google and Microsoft go through consent instead. */
type TypedCredentials = Exclude<Credentials, GoogleCredentials | MicrosoftCredentials>;
import { ProviderError } from '../../domain/provider/provider-error';
import { ProviderRegistry } from '../../domain/provider/provider-registry';
import { calendarView } from '../../infrastructure/connections/calendar-view';
import {
  ConnectionStore,
  type ConnectionRow,
} from '../../infrastructure/connections/connection-store';
import { connectionStreamId } from '../../infrastructure/connections/connection-commands';
import { newCalendarRows } from './new-calendar-rows';

/** Which field of the request a provider's refusal is about, for a 422 the user can act on. */
function problemFor(error: ProviderError, credentials: TypedCredentials): ProblemException {
  const field =
    credentials.provider === 'ics'
      ? 'url'
      : credentials.provider === 'calendly'
        ? 'accessToken'
        : error.kind === 'auth_revoked'
          ? 'password'
          : 'serverUrl';
  switch (error.kind) {
    case 'auth_revoked':
    case 'not_found':
    case 'invalid_data':
    case 'unsupported':
      return new ProblemException({
        status: 422,
        type: 'connection-refused',
        detail: error.message,
        errors: [{ field, message: error.message }],
      });
    case 'rate_limited':
    case 'transient':
    case 'timeout':
    case 'precondition_failed':
      return new ProblemException({
        status: 502,
        type: 'provider-unavailable',
        detail: error.message,
        retryAfterSeconds:
          error.retryAfterMs === null ? undefined : Math.ceil(error.retryAfterMs / 1000),
      });
    default: {
      const unknown: never = error.kind;
      throw new Error(`unhandled provider error ${String(unknown)}`);
    }
  }
}

/** Discovers the calendars behind the credentials, then records the connection sealed, with its events. */
@Injectable()
export class ConnectCalendarHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly connections: ConnectionStore,
    private readonly registry: ProviderRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async connect(proId: string, credentials: TypedCredentials, idempotencyKey: string | null) {
    if (idempotencyKey) {
      const earlier = await this.connections.byIdempotencyKey(proId, idempotencyKey);
      if (earlier) return this.view(earlier);
    }
    let discovered;
    try {
      discovered = await this.registry.get(credentials.provider).discover(credentials);
    } catch (error) {
      if (error instanceof ProviderError) throw problemFor(error, credentials);
      throw error;
    }
    const connectionId = newId();
    const hasWriteTarget = (await this.connections.calendarsOfPro(proId)).some(
      (c) => c.writeTarget,
    );
    const calendars = newCalendarRows(connectionId, discovered, hasWriteTarget);
    const connection: ConnectionRow = {
      connectionId,
      proId,
      provider: credentials.provider,
      status: 'active',
      endpoint:
        credentials.provider === 'ics'
          ? new URL(credentials.url).host
          : credentials.provider === 'calendly'
            ? new URL(discovered[0]?.url ?? 'https://calendly.com').host
            : credentials.serverUrl,
      createdAt: this.clock.now(),
    };
    await withUnitOfWork(this.dataSource, async ({ manager, client: tx }) => {
      await this.connections.insert(manager, connection, credentials, calendars, idempotencyKey);
      await this.store.appendWith(
        tx,
        connectionStreamId(connectionId),
        [
          {
            type: 'connection.created',
            data: {
              connectionId,
              proId,
              provider: credentials.provider,
              status: 'active',
              ...(credentials.provider === 'calendly'
                ? {}
                : {
                    host: new URL(
                      credentials.provider === 'ics' ? credentials.url : credentials.serverUrl,
                    ).host.toLowerCase(),
                  }),
            },
          },
          {
            type: 'connection.calendars_changed',
            data: { connectionId, proId, calendars: calendars.map(calendarView) },
          },
        ],
        { expectedVersion: 'no_stream' },
      );
    });
    return this.view(connection);
  }

  private async view(connection: ConnectionRow) {
    const calendars = await this.connections.calendars([connection.connectionId]);
    return {
      connectionId: connection.connectionId,
      provider: connection.provider,
      status: connection.status,
      calendars: calendars.map(calendarView),
    };
  }
}
