import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, EventStore, newId, withUnitOfWork } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { DataSource } from 'typeorm';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import type { OAuthCredentials } from '../../infrastructure/oauth/fresh-credentials';
import { OAuthStates } from '../../infrastructure/oauth/oauth-states';
import { connectionStreamId } from '../../infrastructure/connections/connection-commands';

/** What starting an OAuth connection records before the Pro is sent to the consent page. */
export interface PendingConsent {
  /** The provider's credentials with no token yet. */
  credentials: OAuthCredentials;
  /** The host the connection shows (the provider's API). */
  endpoint: string;
  /** The PKCE verifier, kept sealed with the state until the callback claims it. */
  codeVerifier: string;
}

/** The answer when a deployment has no client for the provider the Pro asked for. */
export const providerNotConfigured = (name: string) =>
  new ProblemException({
    status: 422,
    type: 'connection-refused',
    detail: `${name} is not configured on this deployment`,
    errors: [{ field: 'provider', message: `${name} is not available` }],
  });

/**
 * The provider-neutral part of starting an OAuth connection: a pending connection with its
 * `connection.created` event and a single-use state, in one transaction; then the provider's
 * consent URL for that state.
 */
@Injectable()
export class PendingAuthorizations {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly connections: ConnectionStore,
    private readonly states: OAuthStates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(
    proId: string,
    pending: PendingConsent,
    consentUrl: (state: string) => string | Promise<string>,
  ) {
    const { provider } = pending.credentials;
    const connectionId = newId();
    const now = this.clock.now();
    const state = await withUnitOfWork(this.dataSource, async ({ manager, client: tx }) => {
      await this.connections.insert(
        manager,
        {
          connectionId,
          proId,
          provider,
          status: 'pending_authorization',
          endpoint: pending.endpoint,
          createdAt: now,
        },
        pending.credentials,
        [],
        null,
      );
      await this.store.appendWith(
        tx,
        connectionStreamId(connectionId),
        [
          {
            type: 'connection.created',
            data: { connectionId, proId, provider, status: 'pending_authorization' },
          },
        ],
        { expectedVersion: 'no_stream' },
      );
      return this.states.issue(tx, connectionId, pending.codeVerifier, now);
    });
    return {
      connectionId,
      provider,
      status: 'pending_authorization' as const,
      authorizeUrl: await consentUrl(state),
      calendars: [],
    };
  }
}
