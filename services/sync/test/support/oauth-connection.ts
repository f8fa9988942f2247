import { eventually, type TestContext } from '@cs/testing';
import { expect } from '@jest/globals';
import { busEvents } from './connector-and-sync';
import type { OAuthProvider, ProApi } from './pro-api';

export interface Connected {
  connectionId: string;
  status: string;
  calendars: Array<{ calendarId: string; name: string; writeTarget: boolean; writable: boolean }>;
}

/**
 * Connects the Pro's account as a browser would: consent (`consent` plays the provider's page
 * and answers where it redirects to), then our callback.
 */
export async function connectThroughConsent(
  pro: ProApi,
  provider: OAuthProvider,
  consent: (authorizeUrl: string) => Promise<string>,
): Promise<Connected> {
  const pending = await pro.startConnecting(provider);
  const back = new URL(await consent(pending.authorizeUrl));
  return (await pro.callback(back).expect(200)).body;
}

/** The callback with the state's signature replaced: a state this service did not issue. */
export function forgedCallback(back: URL): URL {
  const forged = new URL(back);
  forged.searchParams.set('state', `${back.searchParams.get('state')!.split('.')[0]}.AAAA`);
  return forged;
}

/** Lets the states issued for a pending connection run out. */
export async function expireStates(ctx: TestContext, connectionId: string): Promise<void> {
  await ctx.pool.query(
    `UPDATE ${ctx.schema}.oauth_states SET expires_at = now() - interval '1 second'
     WHERE connection_id = $1`,
    [connectionId],
  );
}

/** Once the Pro revoked consent, sync's next run marks the connection reauth_required, once. */
export async function expectReauthRequired(
  pro: ProApi,
  ctx: TestContext,
  connectionId: string,
): Promise<void> {
  await eventually(
    async () => {
      await pro.syncNow(connectionId);
      const events = (await busEvents(ctx, 'connection.reauth_required', 'connector')).filter(
        (e) => (e.data as { connectionId: string }).connectionId === connectionId,
      );
      expect(events).toHaveLength(1);
    },
    20_000,
    500,
  );
  expect((await pro.connections()).find((c) => c.connectionId === connectionId)).toMatchObject({
    status: 'reauth_required',
  });
}
