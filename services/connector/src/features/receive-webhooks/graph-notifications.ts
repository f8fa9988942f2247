import type { PushTargetRow } from '../../infrastructure/push-subscriptions/push-subscription-store';
import { sameSecret } from './webhook-verification';

export interface GraphNotification {
  subscriptionId: string;
  clientState?: string | null;
  lifecycleEvent?: string;
}

export type RefusalReason = 'unknown subscription' | 'wrong clientState';

export interface SortedNotifications<N extends GraphNotification> {
  accepted: Array<{ notification: N; row: PushTargetRow }>;
  refused: Array<{ index: number; reason: RefusalReason }>;
}

/**
 * Matches each notification of a batch to its subscription, item by item. Graph may notify a
 * subscription before we have stored its id; its `clientState` is then the secret of a
 * subscription being opened, which is how it is recognised. Secrets are compared in constant
 * time and never leave this function.
 */
export function sortGraphNotifications<N extends GraphNotification>(
  notifications: readonly N[],
  rows: readonly PushTargetRow[],
  secretOf: (row: PushTargetRow) => string | null,
): SortedNotifications<N> {
  const sorted: SortedNotifications<N> = { accepted: [], refused: [] };
  const opening = rows.filter((r) => r.pendingChannelId !== null);
  notifications.forEach((notification, index) => {
    const known = rows.find((r) => r.providerSubscriptionId === notification.subscriptionId);
    const row = known
      ? sameSecret(notification.clientState, secretOf(known))
        ? known
        : undefined
      : opening.find((r) => sameSecret(notification.clientState, secretOf(r)));
    if (row) sorted.accepted.push({ notification, row });
    else
      sorted.refused.push({
        index,
        reason: known ? 'wrong clientState' : 'unknown subscription',
      });
  });
  return sorted;
}
