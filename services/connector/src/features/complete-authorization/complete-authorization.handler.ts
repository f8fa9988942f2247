import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, withUnitOfWork } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { DataSource } from 'typeorm';
import { ConnectionNotPending } from '../../domain/connection/connection';
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
import { ConnectionCommands } from '../../infrastructure/connections/connection-commands';
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
    private readonly dataSource: DataSource,
    private readonly commands: ConnectionCommands,
    private readonly connections: ConnectionStore,
    private readonly states: OAuthStates,
    private readonly tokens: GoogleTokens,
    private readonly registry: ProviderRegistry,
    private readonly microsoftTokens: MicrosoftTokens,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async complete(
    input: { code?: string; state?: string; error?: string },
    provider: OAuthProvider,
  ) {
    if (!input.state) throw refused(400, 'the callback carries no state');
    const claim = await this.states.claim(input.state, this.clock.now());
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
    try {
      await withUnitOfWork(this.dataSource, async ({ manager, client }) => {
        // Decided first: a connection authorized meanwhile keeps its rows as they are.
        await this.commands.handleWith(client, connection.connectionId, {
          type: 'authorize',
          calendars: calendars.map(calendarView),
        });
        await this.connections.activate(manager, connection.connectionId, credentials, calendars);
      });
    } catch (error) {
      if (error instanceof ConnectionNotPending) throw refused(400, error.message);
      throw error;
    }
    return {
      connectionId: connection.connectionId,
      provider: connection.provider,
      status: 'active' as const,
      calendars: calendars.map(calendarView),
    };
  }
}
