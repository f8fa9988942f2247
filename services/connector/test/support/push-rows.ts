import type { TestContext } from '@cs/testing';
import type { CredentialCipher } from '@cs/eventing';
import { pushSecrets } from '../../src/infrastructure/push-subscriptions/push-subscription-store';

export interface PushRowInput {
  calendarId: string;
  connectionId: string;
  provider: 'google' | 'microsoft';
  channelId: string;
  /** Graph's subscription id; Google's is the channel id. */
  subscriptionId: string;
  /** Google's resource id. */
  resourceId?: string;
  /** The secret the provider echoes (channel token, clientState), sealed with `cipher`. */
  secret: string;
}

/** A push subscription as the manager leaves it once the provider granted it. */
export async function insertPushSubscription(
  ctx: TestContext,
  cipher: CredentialCipher,
  row: PushRowInput,
): Promise<void> {
  const sealed = cipher.seal(row.secret, pushSecrets.boundTo(row.calendarId));
  await ctx.pool.query(
    `INSERT INTO push_subscriptions (calendar_id, connection_id, provider, channel_id, provider_subscription_id,
       resource_id, key_id, sealed_token, expires_at, next_action_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + interval '3 days', now() + interval '2 days')`,
    [
      row.calendarId,
      row.connectionId,
      row.provider,
      row.channelId,
      row.subscriptionId,
      row.resourceId ?? null,
      sealed.keyId,
      sealed.ciphertext,
    ],
  );
}
