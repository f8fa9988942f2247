import { Inject, Injectable } from '@nestjs/common';
import { EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { Pool } from 'pg';
import { ProviderError } from '../../domain/provider/provider-error';
import { ProviderRegistry } from '../../domain/provider/provider-registry';
import { calendarView } from '../../infrastructure/connections/calendar-view';
import {
  type CalendarRow,
  ConnectionStore,
} from '../../infrastructure/connections/connection-store';
import { GoogleTokens } from '../../infrastructure/oauth/google-tokens';
import { MicrosoftTokens } from '../../infrastructure/oauth/microsoft-tokens';
import { OAuthStates } from '../../infrastructure/oauth/oauth-states';
import { connectionStreamId } from '../connect-calendar/connect-calendar.handler';
import { newCalendarRows } from '../connect-calendar/new-calendar-rows';

const refused = (status: 400 | 401, detail: string) =>
  new ProblemException({ status, type: 'oauth-state-refused', detail });

/** The providers that connect through OAuth consent and come back to our callback. */
export type OAuthProvider = 'google' | 'microsoft';

const names: Record<OAuthProvider, string> = { google: 'Google', microsoft: 'Microsoft' };

/**
 * The provider sent the Pro back: the state is claimed once, the code exchanged for tokens, the
 * calendars listed, and only then does the pending connection become active.
 */
@Injectable()
export class CompleteAuthorizationHandler {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly connections: ConnectionStore,
    private readonly states: OAuthStates,
    private readonly tokens: GoogleTokens,
    private readonly registry: ProviderRegistry,
    private readonly microsoftTokens: MicrosoftTokens,
  ) {}

  async complete(
    input: { code?: string; state?: string; error?: string },
    provider: OAuthProvider,
  ) {
    if (!input.state) throw refused(400, 'the callback carries no state');
    const claim = await this.states.claim(input.state, new Date());
    switch (claim.outcome) {
      case 'forged':
        throw refused(401, 'the state was not issued by this service');
      case 'unknown':
      case 'used':
        throw refused(400, 'the state is unknown or was already used');
      case 'expired':
        throw refused(400, 'the state has expired; start connecting again');
      case 'ok':
        break;
      default: {
        const unknown: never = claim;
        throw new Error(`unhandled state claim ${String(unknown)}`);
      }
    }
    const connection = await this.connections.find(claim.connectionId);
    if (!connection || connection.status !== 'pending_authorization')
      throw refused(400, 'the connection is no longer waiting for authorization');
    if (connection.provider !== provider)
      throw refused(400, `the state was issued for ${connection.provider}, not ${provider}`);
    if (input.error || !input.code)
      throw new ProblemException({
        status: 400,
        type: 'authorization-denied',
        detail: `${names[provider]} did not grant access (${input.error ?? 'no code'})`,
      });
    let calendars: CalendarRow[];
    let credentials;
    try {
      credentials =
        provider === 'microsoft'
          ? await this.microsoftTokens.exchange(input.code, claim.codeVerifier)
          : await this.tokens.exchange(input.code, claim.codeVerifier);
      const discovered = await this.registry.get(provider).discover(credentials);
      const hasWriteTarget = (await this.connections.calendarsOfPro(connection.proId)).some(
        (c) => c.writeTarget,
      );
      calendars = newCalendarRows(connection.connectionId, discovered, hasWriteTarget);
    } catch (error) {
      if (error instanceof ProviderError)
        throw new ProblemException({
          status: 502,
          type: 'provider-unavailable',
          detail: error.message,
        });
      throw error;
    }
    await withTransaction(this.pool, async (tx) => {
      await this.connections.activate(tx, connection.connectionId, credentials, calendars);
      await this.store.appendWith(
        tx,
        connectionStreamId(connection.connectionId),
        [
          {
            type: 'connection.authorized',
            data: {
              connectionId: connection.connectionId,
              proId: connection.proId,
              provider: connection.provider,
            },
          },
          {
            type: 'connection.calendars_changed',
            data: {
              connectionId: connection.connectionId,
              proId: connection.proId,
              calendars: calendars.map(calendarView),
            },
          },
        ],
        { expectedVersion: 'any' },
      );
    });
    return {
      connectionId: connection.connectionId,
      provider: connection.provider,
      status: 'active' as const,
      calendars: calendars.map(calendarView),
    };
  }
}
